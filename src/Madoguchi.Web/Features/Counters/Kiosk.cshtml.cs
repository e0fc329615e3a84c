namespace Madoguchi.Web.Features.Counters;

/// <summary>The lobby kiosk: one large button per service, furigana, an accessibility choice; the ticket prints with a QR code.</summary>
public sealed class KioskModel(AppDb db, Queue queue) : PageModel
{
    public Catalog.Office Office { get; private set; } = null!;
    public IReadOnlyList<CounterService> Services { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string office, CancellationToken ct) =>
        await LoadAsync(office, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string office, string? service, bool accessibility, string? requestKey, CancellationToken ct)
    {
        if (!await LoadAsync(office, ct)) return NotFound();
        var chosen = Services.FirstOrDefault(s => s.Id == service);
        if (chosen is null) return BadRequest();
        var ticket = await queue.IssueAsync(chosen, TicketChannel.Kiosk, accessibility, null, OfficeModel.RequestKey(requestKey), ct);
        return Redirect($"/tickets/{ticket.Token}?kiosk=true");
    }

    private async Task<bool> LoadAsync(string office, CancellationToken ct)
    {
        var found = await db.Offices.AsNoTracking().SingleOrDefaultAsync(o => o.Id == office, ct);
        if (found is null) return false;
        Office = found;
        Services = await db.CounterServices.AsNoTracking().Where(s => s.OfficeId == office).OrderBy(s => s.Order).ToListAsync(ct);
        return Services.Count > 0;
    }
}
