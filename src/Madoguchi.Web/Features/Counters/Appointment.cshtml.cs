using Madoguchi.Web.Platform.Calendar;

namespace Madoguchi.Web.Features.Counters;

/// <summary>A booked visit, reached by the private link in the confirmation mail: see it, add it to a calendar, cancel it, check in on arrival.</summary>
public sealed class AppointmentModel(AppDb db, Booking booking, CityCalendar calendar, TimeProvider clock) : PageModel
{
    public Appointment Appointment { get; private set; } = null!;
    public CounterService Service { get; private set; } = null!;
    public Catalog.Office Office { get; private set; } = null!;
    public string? TicketToken { get; private set; }
    public DateTime LocalStart => calendar.ToLocal(Appointment.Start);
    public bool CanCheckIn
    {
        get
        {
            var now = clock.GetUtcNow().UtcDateTime;
            return Appointment.Status == AppointmentStatus.Booked && now >= Appointment.Start.AddHours(-1) && now <= Appointment.Start.AddMinutes(30);
        }
    }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct) => await LoadAsync(token, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCancelAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct)) return NotFound();
        await booking.CancelAsync(Appointment, ct);
        return Redirect($"/appointments/{token}");
    }

    public async Task<IActionResult> OnPostCheckInAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct)) return NotFound();
        var ticket = await booking.CheckInAsync(Appointment, ct);
        return ticket is null ? Redirect($"/appointments/{token}") : Redirect($"/tickets/{ticket.Token}");
    }

    private async Task<bool> LoadAsync(string token, CancellationToken ct)
    {
        var appointment = await db.Appointments.SingleOrDefaultAsync(a => a.Token == token, ct);
        if (appointment is null) return false;
        Appointment = appointment;
        Service = await db.CounterServices.AsNoTracking().SingleAsync(s => s.Id == appointment.ServiceId, ct);
        Office = await db.Offices.AsNoTracking().SingleAsync(o => o.Id == appointment.OfficeId, ct);
        TicketToken = appointment.TicketId is { } id ? await db.Tickets.Where(x => x.Id == id).Select(x => x.Token).SingleOrDefaultAsync(ct) : null;
        return true;
    }
}
