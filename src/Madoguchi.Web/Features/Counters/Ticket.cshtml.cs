using QRCoder;

namespace Madoguchi.Web.Features.Counters;

/// <summary>
/// The resident's ticket on their phone (and printed at the kiosk): number, place in the queue, estimated wait with
/// a range, the counter when called, and a notice by email when the turn is near. The token is the only key.
/// </summary>
public sealed class TicketModel(AppDb db, Queue queue, Ui t) : PageModel
{
    public Ticket Ticket { get; private set; } = null!;
    public CounterService Service { get; private set; } = null!;
    public Catalog.Office Office { get; private set; } = null!;
    public WaitEstimate Estimate { get; private set; } = null!;
    public string? CounterName { get; private set; }
    public string QrDataUri { get; private set; } = "";
    public bool Kiosk { get; private set; }

    [BindProperty]
    public string? Email { get; set; }

    public async Task<IActionResult> OnGetAsync(string token, bool kiosk, CancellationToken ct)
    {
        Kiosk = kiosk;
        if (!await LoadAsync(token, ct)) return NotFound();
        using var data = QRCodeGenerator.GenerateQrCode($"{Request.Scheme}://{Request.Host}/tickets/{token}", QRCodeGenerator.ECCLevel.M);
        QrDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
        return Page();
    }

    /// <summary>The status line alone, for the live update on the phone.</summary>
    public async Task<IActionResult> OnGetStatusAsync(string token, CancellationToken ct) =>
        await LoadAsync(token, ct) ? Content(StatusText, "text/plain; charset=utf-8") : NotFound();

    public string StatusText => Ticket.Status switch
    {
        TicketStatus.Waiting => t.Format("ticket.waiting", Estimate.Ahead, Estimate.Low, Estimate.High),
        TicketStatus.Called or TicketStatus.Serving => t.Format("ticket.called", CounterName ?? ""),
        var other => t["ticket.status." + other.ToString().ToLowerInvariant()],
    };

    public async Task<IActionResult> OnPostNotifyAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct)) return NotFound();
        var email = Email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 254 || !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            ModelState.AddModelError(nameof(Email), t["queue.error.email"]);
            return Page();
        }
        if (Ticket.Status != TicketStatus.Waiting) return Redirect($"/tickets/{token}");
        var tracked = await db.Tickets.SingleAsync(x => x.Id == Ticket.Id, ct);
        tracked.NotifyEmail = email;
        tracked.NotifyUrl = $"{Request.Scheme}://{Request.Host}/tickets/{token}";
        tracked.NearNoticeSent = false;
        await db.SaveChangesAsync(ct);
        return Redirect($"/tickets/{token}?notify=on");
    }

    private async Task<bool> LoadAsync(string token, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(x => x.Token == token, ct);
        if (ticket is null) return false;
        Ticket = ticket;
        Service = await db.CounterServices.AsNoTracking().SingleAsync(s => s.Id == ticket.ServiceId, ct);
        Office = await db.Offices.AsNoTracking().SingleAsync(o => o.Id == ticket.OfficeId, ct);
        Estimate = await queue.EstimateAsync(ticket, ct);
        CounterName = ticket.CounterId is null ? null : await db.Counters.Where(c => c.Id == ticket.CounterId).Select(c => c.Name).SingleOrDefaultAsync(ct);
        return true;
    }
}
