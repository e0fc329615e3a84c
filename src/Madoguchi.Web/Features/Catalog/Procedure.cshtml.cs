using Madoguchi.Web.Platform.Calendar;

namespace Madoguchi.Web.Features.Catalog;

/// <summary>What the _Procedure partial shows: one item with its places and related procedures. Staff previews use it for drafts.</summary>
public sealed record ProcedureDisplay(CatalogSnapshot Catalog, CatalogEntry Entry, DateOnly LastUpdated, IReadOnlyList<CatalogEntry> OtherWards, IReadOnlyList<CatalogEntry> Related)
{
    public static ProcedureDisplay Create(CatalogSnapshot catalog, CatalogEntry entry, CityCalendar calendar) => new(
        catalog, entry, DateOnly.FromDateTime(calendar.ToLocal(entry.PublishedAt)),
        [.. catalog.ByCode[entry.Content.Code].Where(e => e.Slug != entry.Slug)],
        [.. entry.Content.Related.Select(code => catalog.ForWard(code, entry.Content.Office)).OfType<CatalogEntry>()]);
}

/// <summary>One procedure: everything a resident needs, and its deadline for a date they enter.</summary>
public sealed class ProcedureModel(CatalogIndex index, CityCalendar calendar, Ui t) : PageModel
{
    public ProcedureDisplay Display { get; private set; } = null!;

    [BindProperty(SupportsGet = true)]
    public string? EventDate { get; set; }

    public DateOnly? Deadline { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var catalog = await index.GetAsync(ct);
        if (!catalog.BySlug.TryGetValue(slug, out var entry))
        {
            return NotFound();
        }
        Display = ProcedureDisplay.Create(catalog, entry, calendar);
        if (!string.IsNullOrEmpty(EventDate))
        {
            if (CatalogSetup.TryParseDate(EventDate, out var date))
            {
                Deadline = entry.Content.Deadline?.Compute(calendar, date);
            }
            else
            {
                ModelState.AddModelError(nameof(EventDate), t["guide.error.date"]);
            }
        }
        return Page();
    }
}
