using Madoguchi.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Counters.Staff;

/// <summary>
/// A clerk's counter: call the next person in one tap, recall, start, finish, no-show, transfer; open or close the
/// counter and choose its services for the day; today's appointments with what they are for.
/// </summary>
[Authorize(Policy = Policies.Counter)]
public sealed class ConsoleModel(AppDb db, Queue queue, Booking booking, Platform.Calendar.CityCalendar calendar, TimeProvider clock) : PageModel
{
    public Counter Counter { get; private set; } = null!;
    public IReadOnlyList<CounterService> Services { get; private set; } = [];
    public Ticket? Current { get; private set; }
    public Appointment? CurrentAppointment { get; private set; }
    public Board Board { get; private set; } = null!;
    public IReadOnlyList<Appointment> Appointments { get; private set; } = [];

    public DateTime Local(DateTime utc) => calendar.ToLocal(utc);

    public async Task<IActionResult> OnGetAsync(string counter, CancellationToken ct) => await LoadAsync(counter, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCallAsync(string counter, CancellationToken ct)
    {
        var (result, _) = await queue.CallNextAsync(counter, ct);
        return result == CallResult.UnknownCounter ? NotFound() : Redirect($"/staff/counters/{counter}?result={result.ToString().ToLowerInvariant()}");
    }

    public async Task<IActionResult> OnPostActAsync(string counter, Guid ticket, string action, string? toService, CancellationToken ct)
    {
        await queue.ActAsync(counter, ticket, action, toService, ct);
        return Redirect($"/staff/counters/{counter}");
    }

    /// <summary>Which services this counter takes, and whether it is open: the clerk's own decision during the day.</summary>
    public async Task<IActionResult> OnPostSetupAsync(string counter, List<string> services, bool open, CancellationToken ct)
    {
        var found = await db.Counters.SingleOrDefaultAsync(c => c.Id == counter, ct);
        if (found is null) return NotFound();
        var valid = await db.CounterServices.Where(s => s.OfficeId == found.OfficeId).Select(s => s.Id).ToListAsync(ct);
        found.Services = [.. services.Where(valid.Contains).Distinct()];
        found.Open = open;
        db.Audit(clock, AuditLog.ActorOf(User), "counter.changed", $"counter:{found.Id}", new { found.Services, found.Open });
        await db.SaveChangesAsync(ct);
        await queue.TouchAsync(found.OfficeId, ct);
        return Redirect($"/staff/counters/{counter}?result=saved");
    }

    public async Task<IActionResult> OnPostAppointmentAsync(string counter, Guid appointment, string action, CancellationToken ct)
    {
        var found = await db.Appointments.SingleOrDefaultAsync(a => a.Id == appointment, ct);
        var here = await db.Counters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == counter, ct);
        if (found is null || here is null || found.OfficeId != here.OfficeId) return NotFound();
        if (action == "checkin")
        {
            await booking.CheckInAsync(found, ct);
        }
        else if (action == "noshow" && found.Status == AppointmentStatus.Booked && found.Start < clock.GetUtcNow().UtcDateTime)
        {
            found.Status = AppointmentStatus.NoShow;
            await db.SaveChangesAsync(ct);
        }
        return Redirect($"/staff/counters/{counter}");
    }

    private async Task<bool> LoadAsync(string counter, CancellationToken ct)
    {
        var found = await db.Counters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == counter, ct);
        if (found is null) return false;
        Counter = found;
        Services = await db.CounterServices.AsNoTracking().Where(s => s.OfficeId == found.OfficeId).OrderBy(s => s.Order).ToListAsync(ct);
        var day = queue.Today;
        Current = await db.Tickets.AsNoTracking().Where(t => t.CounterId == counter && t.Day == day && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving)).FirstOrDefaultAsync(ct);
        CurrentAppointment = Current?.AppointmentId is { } id ? await db.Appointments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct) : null;
        Board = await queue.BoardAsync(found.OfficeId, ct);
        var from = calendar.ToUtc(day, TimeOnly.MinValue);
        var until = from.AddDays(1);
        Appointments = await db.Appointments.AsNoTracking()
            .Where(a => a.OfficeId == found.OfficeId && a.Start >= from && a.Start < until && found.Services.Contains(a.ServiceId))
            .OrderBy(a => a.Start).ToListAsync(ct);
        return true;
    }
}
