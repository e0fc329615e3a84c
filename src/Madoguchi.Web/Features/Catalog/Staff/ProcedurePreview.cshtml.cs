using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Catalog.Staff;

/// <summary>A draft or an old version shown exactly as residents would see it.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class ProcedurePreviewModel(AppDb db, CatalogIndex index, CityCalendar calendar) : PageModel
{
    public ProcedureDisplay Display { get; private set; } = null!;
    public CatalogDocument Document { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, int? version, CancellationToken ct)
    {
        var versions = db.CatalogDocuments.AsNoTracking().Where(d => d.Kind == CatalogDocument.Procedure && d.Key == slug);
        var document = version is { } v
            ? await versions.SingleOrDefaultAsync(d => d.Version == v, ct)
            : await versions.OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);
        if (document is null)
        {
            return NotFound();
        }
        Document = document;
        var catalog = await index.GetAsync(ct);
        var entry = new CatalogEntry(slug, document.Read<ProcedureContent>(), document.Version, document.PublishedAt ?? document.UpdatedAt, catalog.Departments);
        Display = ProcedureDisplay.Create(catalog, entry, calendar);
        return Page();
    }
}
