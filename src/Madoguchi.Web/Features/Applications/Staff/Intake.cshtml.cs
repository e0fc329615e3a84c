using System.Globalization;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Guide;
using Madoguchi.Web.Platform;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Applications.Staff;

/// <summary>
/// 書かない窓口, step 1 and 2: the clerk identifies the resident (the card reader; in demo mode a persona's card),
/// then asks the life-event questions on a tablet. Submitting fills a draft of every form the plan needs.
/// </summary>
[Authorize(Policy = Policies.Counter)]
public sealed class IntakeModel(AppDb db, CatalogIndex index, CityCalendar calendar, Filing filing, DemoMode demo, IOptions<CatalogOptions> catalogOptions, TimeProvider clock, Ui t) : PageModel
{
    public bool Demo => demo.Enabled;
    public Resident? Resident { get; private set; }
    public CatalogSnapshot Catalog { get; private set; } = null!;
    public LifeEventContent? Event { get; private set; }
    public List<Resident> Matches { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public Guid? ResidentId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Card { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kana { get; set; }
    [BindProperty(SupportsGet = true)] public string? BirthDate { get; set; }
    [BindProperty(SupportsGet = true)] public string? EventId { get; set; }
    [BindProperty(SupportsGet = true)] public string? EventDate { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Catalog = await index.GetAsync(ct);
        if (Card is { Length: > 0 } && demo.Enabled)
        {
            // The demo card reader: the persona's card gives the resident record it signs in as.
            var found = await db.Residents.AsNoTracking().Where(r => r.IdentityProvider == "demo" && r.Subject == Card).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(ct);
            if (found is null) ModelState.AddModelError(nameof(Card), t["intake.error.card"]);
            ResidentId = found ?? ResidentId;
        }
        else if (Kana is { Length: > 0 } || BirthDate is { Length: > 0 })
        {
            var kana = Platform.Text.JapaneseText.ToKatakana(Kana).Replace(" ", "", StringComparison.Ordinal);
            if (!DateOnly.TryParseExact(BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) || kana.Length == 0)
            {
                ModelState.AddModelError(nameof(Kana), t["intake.error.search"]);
            }
            else
            {
                Matches = [.. (await db.Residents.AsNoTracking().Where(r => r.BirthDate == birth).ToListAsync(ct)).Where(r => r.NameKana.Replace(" ", "", StringComparison.Ordinal) == kana)];
                if (Matches.Count == 0) ModelState.AddModelError(nameof(Kana), t["intake.error.none"]);
            }
        }
        if (ResidentId is { } id)
        {
            Resident = await db.Residents.Include(r => r.Household).AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
            if (Resident is not null && Card is { Length: > 0 })
            {
                db.Audit(clock, AuditLog.ActorOf(User), "resident.read", $"resident:{Resident.Id}", new { purpose = "counter-intake" });
                await db.SaveChangesAsync(ct);
            }
        }
        Event = EventId is null ? null : Catalog.LifeEvent(EventId);
        return Page();
    }

    /// <summary>Builds the plan from the interview and fills every form it needs; then the combined form for the clerk.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Catalog = await index.GetAsync(ct);
        Resident = ResidentId is { } id ? await db.Residents.Include(r => r.Household).SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        Event = EventId is null ? null : Catalog.LifeEvent(EventId);
        if (Resident is null || Event is null) return NotFound();
        if (!DateOnly.TryParseExact(EventDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            ModelState.AddModelError(nameof(EventDate), t["guide.error.date"]);
            return Page();
        }
        var answers = Event.Questions.ToDictionary(q => q.Key, q => Request.Form["q." + q.Key].ToString())
            .Where(a => a.Value.Length > 0).ToDictionary(a => a.Key, a => a.Value);
        var ward = GuideQuery.WardOf(Resident, Catalog, catalogOptions.Value.CityName);
        var plan = Planner.Build(Catalog, calendar, EventId!, Event, date, ward, answers);
        var bundle = await filing.StartIntakeAsync(Resident, plan.Items.Select(i => i.Entry), answers, AuditLog.ActorOf(User), ct);
        if (bundle is null)
        {
            ModelState.AddModelError(nameof(EventId), t["intake.error.noforms"]);
            return Page();
        }
        return Redirect($"/staff/intake/{bundle}");
    }
}
