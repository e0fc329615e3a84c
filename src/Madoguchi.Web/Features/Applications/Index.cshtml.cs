using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Applications;

/// <summary>「申請一覧」: every application of the resident, newest first, with where it stands.</summary>
[Authorize(Policy = Policies.Resident)]
public sealed class IndexModel(AppDb db, CatalogIndex index) : PageModel
{
    public List<Application> Applications { get; private set; } = [];
    public CatalogSnapshot Catalog { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var residentId = User.ResidentId()!.Value;
        Applications = await db.Applications.AsNoTracking().Where(a => a.ResidentId == residentId)
            .OrderByDescending(a => a.UpdatedAt).Take(200).ToListAsync(ct);
        Catalog = await index.GetAsync(ct);
    }

    public string Name(Application a, string language) =>
        Catalog.BySlug.TryGetValue(a.ProcedureSlug, out var e) ? e.Content.Name.In(language) : a.ProcedureCode;
}
