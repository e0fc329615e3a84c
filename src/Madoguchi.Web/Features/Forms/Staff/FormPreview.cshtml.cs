using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Forms.Staff;

/// <summary>A version of a form (the draft unless one is named) drawn exactly as residents will see it, every page in turn.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class FormPreviewModel(AppDb db) : PageModel
{
    public FormDefinition Form { get; private set; } = null!;
    public int Version { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, int? version, CancellationToken ct)
    {
        var document = await db.CatalogDocuments.AsNoTracking()
            .Where(d => d.Kind == CatalogDocument.Form && d.Key == slug && (version == null ? d.State != DocumentState.Superseded : d.Version == version))
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);
        if (document is null) return NotFound();
        Form = document.Read<FormDefinition>();
        Version = document.Version;
        return Page();
    }
}
