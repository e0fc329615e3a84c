using System.Globalization;
using Madoguchi.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Counters.Staff;

/// <summary>Bookings taken by staff (by phone, or at the counter for a later visit): they may use the places kept for staff, and need no email.</summary>
[Authorize(Policy = Policies.Counter)]
public sealed class BookModel(AppDb db, Booking booking, Platform.Calendar.CityCalendar calendar, TimeProvider clock, Ui t) : PageModel
{
    public Catalog.Office Office { get; private set; } = null!;
    public IReadOnlyList<CounterService> Services { get; private set; } = [];
    public CounterService? Service { get; private set; }
    public IReadOnlyList<Slot> Slots { get; private set; } = [];
    public Appointment? Booked { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ServiceId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    [BindProperty]
    public string? Start { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Purpose { get; set; }

    public async Task<IActionResult> OnGetAsync(string office, CancellationToken ct) => await LoadAsync(office, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string office, CancellationToken ct)
    {
        if (!await LoadAsync(office, ct)) return NotFound();
        if (!BookingForm.TryRead(ModelState, t, Email, emailRequired: false, Start, out var email, out var start) || Service is null) return Page();
        var (appointment, error) = await booking.BookAsync(Service, start, email, null, Purpose is { Length: > 500 } ? Purpose[..500] : Purpose, t, $"{Request.Scheme}://{Request.Host}", ct, staff: true);
        if (appointment is null)
        {
            ModelState.AddModelError(nameof(Start), t["booking.error." + error.ToString().ToLowerInvariant()]);
            return Page();
        }
        db.Audit(clock, AuditLog.ActorOf(User), "appointment.booked-by-staff", $"appointment:{appointment.Id}");
        await db.SaveChangesAsync(ct);
        return Redirect($"/staff/counters/book/{office}?serviceId={Service.Id}&date={Date}&booked={appointment.Id}");
    }

    private async Task<bool> LoadAsync(string office, CancellationToken ct)
    {
        var found = await db.Offices.AsNoTracking().SingleOrDefaultAsync(o => o.Id == office, ct);
        if (found is null) return false;
        Office = found;
        Services = await db.CounterServices.AsNoTracking().Where(s => s.OfficeId == office).OrderBy(s => s.Order).ToListAsync(ct);
        Service = Services.FirstOrDefault(s => s.Id == ServiceId) ?? (Services.Count > 0 ? Services[0] : null);
        var day = DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : calendar.NextOpenDay(calendar.Today.AddDays(1));
        Date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (Service is not null)
        {
            Slots = await booking.SlotsAsync(Service, day, ct, staff: true);
        }
        if (Guid.TryParse(Request.Query["booked"], out var id))
        {
            Booked = await db.Appointments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.OfficeId == office, ct);
        }
        return Services.Count > 0;
    }
}
