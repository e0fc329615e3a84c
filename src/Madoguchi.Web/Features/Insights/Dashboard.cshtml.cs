using System.Text;
using Madoguchi.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Insights;

/// <summary>The KPI dashboard: the city's digital targets and where they stand, computed from the data; CSV and monthly snapshots.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class DashboardModel(Kpis kpis, AppDb db, Ui t) : PageModel
{
    public KpiReport Report { get; private set; } = null!;
    public List<(string Month, KpiReport Report)> Months { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Report = await kpis.LastYearAsync(t.Language, ct);
        Months = [.. (await db.KpiSnapshots.AsNoTracking().OrderByDescending(s => s.Month).Take(24).ToListAsync(ct)).Select(s => (s.Month, s.Read()))];
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct) =>
        File(Encoding.UTF8.GetBytes(Kpis.Csv(await kpis.LastYearAsync(t.Language, ct))), "text/csv; charset=utf-8", "madoguchi-kpis.csv");
}
