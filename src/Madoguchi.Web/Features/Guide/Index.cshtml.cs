using Madoguchi.Web.Features.Catalog;

namespace Madoguchi.Web.Features.Guide;

public sealed class IndexModel(CatalogIndex index) : PageModel
{
    public CatalogSnapshot Catalog { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Catalog = await index.GetAsync(ct);
}
