using Madoguchi.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Counters.Staff;

/// <summary>Counters by office, to open one's console; administrators also reach the set-up.</summary>
[Authorize(Policy = Policies.Counter)]
public sealed class CountersModel(AppDb db) : PageModel
{
    public IReadOnlyList<Catalog.Office> Offices { get; private set; } = [];
    public IReadOnlyList<Counter> Counters { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Counters = await db.Counters.AsNoTracking().OrderBy(c => c.OfficeId).ThenBy(c => c.Order).ToListAsync(ct);
        var ids = Counters.Select(c => c.OfficeId).Distinct().ToList();
        Offices = await db.Offices.AsNoTracking().Where(o => ids.Contains(o.Id)).OrderBy(o => o.Order).ToListAsync(ct);
    }
}
