using System.Globalization;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Platform.Calendar;

namespace Madoguchi.Web.Features.Counters;

/// <summary>Booking a counter visit: choose a service and a day, then a free slot; signed in, or with an email address.</summary>
public sealed class BookModel(AppDb db, Booking booking, CityCalendar calendar, Ui t) : PageModel
{
    public Catalog.Office Office { get; private set; } = null!;
    public IReadOnlyList<CounterService> Services { get; private set; } = [];
    public CounterService? Service { get; private set; }
    public DateOnly Day { get; private set; }
    public IReadOnlyList<Slot> Slots { get; private set; } = [];

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

    public async Task<IActionResult> OnGetAsync(string office, string? service, string? purpose, CancellationToken ct)
    {
        ServiceId ??= service;
        // From a guide plan: what the visit is for, so the counter can prepare.
        Purpose = purpose is { Length: <= 500 } ? purpose : null;
        if (!await LoadAsync(office, ct)) return NotFound();
        if (User.ResidentId() is { } residentId && string.IsNullOrEmpty(Email))
        {
            Email = await db.Residents.Where(r => r.Id == residentId).Select(r => r.Email).SingleOrDefaultAsync(ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string office, CancellationToken ct)
    {
        if (!await LoadAsync(office, ct)) return NotFound();
        if (Purpose is { Length: > 500 })
        {
            ModelState.AddModelError(nameof(Purpose), t["booking.error.purpose"]);
        }
        if (!BookingForm.TryRead(ModelState, t, Email, emailRequired: true, Start, out var email, out var start) || Service is null) return Page();
        var (appointment, error) = await booking.BookAsync(Service, start, email, User.ResidentId(), Purpose, t, $"{Request.Scheme}://{Request.Host}", ct);
        if (appointment is null)
        {
            ModelState.AddModelError(nameof(Start), t["booking.error." + error.ToString().ToLowerInvariant()]);
            Slots = await booking.SlotsAsync(Service, Day, ct);
            return Page();
        }
        return Redirect($"/appointments/{appointment.Token}");
    }

    private async Task<bool> LoadAsync(string office, CancellationToken ct)
    {
        var found = await db.Offices.AsNoTracking().SingleOrDefaultAsync(o => o.Id == office, ct);
        if (found is null) return false;
        Office = found;
        Services = await db.CounterServices.AsNoTracking().Where(s => s.OfficeId == office).OrderBy(s => s.Order).ToListAsync(ct);
        if (Services.Count == 0) return false;
        Service = Services.FirstOrDefault(s => s.Id == ServiceId);
        Day = DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : calendar.NextOpenDay(calendar.Today.AddDays(1));
        if (Date is { Length: > 0 } && day == default)
        {
            ModelState.AddModelError(nameof(Date), t["guide.error.date"]);
        }
        Date = Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (Service is not null)
        {
            Slots = await booking.SlotsAsync(Service, Day, ct);
        }
        return true;
    }
}
