namespace Madoguchi.Web.Features.Counters;

/// <summary>The lobby TV: who is being served at each counter and how many wait, live through server-sent events.</summary>
public sealed class BoardModel(AppDb db, QueueEvents events) : PageModel
{
    public Catalog.Office Office { get; private set; } = null!;
    public Board Board { get; private set; } = null!;
    public IReadOnlyList<CounterService> Services { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string office, CancellationToken ct)
    {
        var found = await db.Offices.AsNoTracking().SingleOrDefaultAsync(o => o.Id == office, ct);
        if (found is null) return NotFound();
        Office = found;
        Services = await db.CounterServices.AsNoTracking().Where(s => s.OfficeId == office).OrderBy(s => s.Order).ToListAsync(ct);
        Board = (await events.BoardAsync(office, ct)).Board;
        return Page();
    }
}
