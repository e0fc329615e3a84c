using Madoguchi.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Catalog.Staff;

/// <summary>The catalogue as administrators see it: every procedure, life event and the synonym list, with open drafts.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class IndexModel(AppDb db, CatalogIndex index) : PageModel
{
    public sealed record Row(string Kind, string Key, string Name, int? Published, int? Draft);

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public CatalogSnapshot Catalog { get; private set; } = null!;
    public IReadOnlyList<Row> Procedures { get; private set; } = [];
    public IReadOnlyList<Row> Drafts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Catalog = await index.GetAsync(ct);
        var drafts = await db.CatalogDocuments.AsNoTracking().Where(d => d.State == DocumentState.Draft)
            .Select(d => new { d.Kind, d.Key, d.Version }).ToListAsync(ct);
        Drafts = [.. drafts.Select(d => new Row(d.Kind, d.Key, d.Kind == CatalogDocument.Procedure && Catalog.BySlug.TryGetValue(d.Key, out var e) ? e.Content.Name.Ja : d.Key, null, d.Version))];
        var matches = string.IsNullOrWhiteSpace(Q) ? Catalog.Procedures : Catalog.Search(Q, CatalogSetup.MaxLimit).Items;
        Procedures = [.. matches.Take(200).Select(e => new Row(CatalogDocument.Procedure, e.Slug, e.Content.Name.Ja, e.Version, drafts.FirstOrDefault(d => d.Kind == CatalogDocument.Procedure && d.Key == e.Slug)?.Version))];
    }
}
