namespace Madoguchi.Web.Features.Catalog;

/// <summary>Procedure search. A GET form, so it works without JavaScript and results can be bookmarked.</summary>
public sealed class SearchModel(CatalogIndex index, Ui t) : PageModel
{
    public const int PageSize = 50;

    /// <summary>Results of one procedure: per-ward items collapse into one row with a link per ward.</summary>
    public sealed record Group(CatalogEntry First, IReadOnlyList<CatalogEntry> Items);

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Office { get; set; }

    public CatalogSnapshot Catalog { get; private set; } = null!;
    public SearchResult? Result { get; private set; }
    public IReadOnlyList<Group> Groups { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Catalog = await index.GetAsync(ct);
        if (Office is not null && !Catalog.Offices.ContainsKey(Office))
        {
            Office = null;
        }
        if (string.IsNullOrWhiteSpace(Q))
        {
            return;
        }
        if (Q.Length > 100)
        {
            Error = t["search.error.long"];
            ModelState.AddModelError(nameof(Q), Error);
            return;
        }
        Result = Catalog.Search(Q, CatalogSetup.MaxLimit, Office);
        Groups = [.. Result.Items.GroupBy(e => e.Content.Code).Take(PageSize).Select(g => new Group(g.First(), [.. g]))];
    }
}
