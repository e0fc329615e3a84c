using System.Collections.Concurrent;
using Madoguchi.Web.Features.Catalog;

namespace Madoguchi.Web.Features.Forms;

/// <summary>
/// Form definitions by slug and version. A published or superseded version never changes, so it is read once and
/// kept; a draft (the designer's preview) is always read afresh.
/// </summary>
public sealed class FormVersions
{
    private readonly ConcurrentDictionary<(string Slug, int Version), FormDefinition> frozen = new();

    public async Task<FormDefinition?> GetAsync(AppDb db, string slug, int version, CancellationToken ct)
    {
        if (frozen.TryGetValue((slug, version), out var cached))
        {
            return cached;
        }
        var document = await db.CatalogDocuments.AsNoTracking()
            .SingleOrDefaultAsync(d => d.Kind == CatalogDocument.Form && d.Key == slug && d.Version == version, ct);
        if (document is null)
        {
            return null;
        }
        var form = document.Read<FormDefinition>();
        if (document.State != DocumentState.Draft)
        {
            frozen[(slug, version)] = form;
        }
        return form;
    }
}
