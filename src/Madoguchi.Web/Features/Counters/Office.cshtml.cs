using Madoguchi.Web.Features.Catalog;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Counters;

/// <summary>One office: waits per service, booking, a remote ticket where the office gives them, the lobby board.</summary>
public sealed class OfficeModel(AppDb db, QueueEvents events, Queue queue, IOptions<CountersOptions> options) : PageModel
{
    public Office Office { get; private set; } = null!;
    public Board Board { get; private set; } = null!;
    public IReadOnlyList<CounterService> Services { get; private set; } = [];
    public bool RemoteTickets => options.Value.RemoteTicketOffices.Contains(Office.Id);

    public async Task<IActionResult> OnGetAsync(string office, CancellationToken ct)
    {
        if (!await LoadAsync(office, ct)) return NotFound();
        return Page();
    }

    /// <summary>A ticket taken from home, where the office allows it; the resident watches it on their phone.</summary>
    public async Task<IActionResult> OnPostTicketAsync(string office, string? service, string? requestKey, CancellationToken ct)
    {
        if (!await LoadAsync(office, ct)) return NotFound();
        var chosen = Services.FirstOrDefault(s => s.Id == service);
        if (!RemoteTickets || chosen is null) return BadRequest();
        var ticket = await queue.IssueAsync(chosen, TicketChannel.Remote, false, null, RequestKey(requestKey), ct);
        return Redirect($"/tickets/{ticket.Token}");
    }

    /// <summary>Form keys come from the page that rendered the form; only well-formed ones are used.</summary>
    public static string? RequestKey(string? key) => Guid.TryParse(key, out var id) ? $"form:{id}" : null;

    private async Task<bool> LoadAsync(string office, CancellationToken ct)
    {
        var found = await db.Offices.AsNoTracking().SingleOrDefaultAsync(o => o.Id == office, ct);
        if (found is null) return false;
        Office = found;
        Services = await db.CounterServices.AsNoTracking().Where(s => s.OfficeId == office).OrderBy(s => s.Order).ToListAsync(ct);
        if (Services.Count == 0) return false;
        Board = (await events.BoardAsync(office, ct)).Board;
        return true;
    }
}
