using Madoguchi.Web.Features.Catalog;

namespace Madoguchi.Web.Features.Counters;

/// <summary>Every ward office's queue right now, so residents can choose when and where to go.</summary>
public sealed class IndexModel(AppDb db, QueueEvents events) : PageModel
{
    public sealed record OfficeRow(Office Office, Board Board);

    public IReadOnlyList<OfficeRow> Offices { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var withServices = await db.CounterServices.Select(s => s.OfficeId).Distinct().ToListAsync(ct);
        var offices = await db.Offices.AsNoTracking().Where(o => withServices.Contains(o.Id)).OrderBy(o => o.Order).ToListAsync(ct);
        var rows = new List<OfficeRow>();
        foreach (var office in offices)
        {
            rows.Add(new OfficeRow(office, (await events.BoardAsync(office.Id, ct)).Board));
        }
        Offices = rows;
    }
}
