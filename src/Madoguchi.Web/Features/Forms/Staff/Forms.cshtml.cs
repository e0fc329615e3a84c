using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Forms.Staff;

/// <summary>The forms administrators design: every form with its published version and whether a draft is waiting.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class FormsModel(AppDb db) : PageModel
{
    public List<(string Slug, string Title, int? Published, bool Draft)> Forms { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var documents = await db.CatalogDocuments.AsNoTracking().Where(d => d.Kind == CatalogDocument.Form && d.State != DocumentState.Superseded).ToListAsync(ct);
        Forms = [.. documents.GroupBy(d => d.Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (
            g.Key,
            g.OrderByDescending(d => d.Version).First().Read<FormDefinition>().Title.Ja,
            g.FirstOrDefault(d => d.State == DocumentState.Published)?.Version,
            g.Any(d => d.State == DocumentState.Draft)))];
    }
}
