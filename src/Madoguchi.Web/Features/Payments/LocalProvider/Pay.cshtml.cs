namespace Madoguchi.Web.Features.Payments.LocalProvider;

/// <summary>The provider's hosted card page: what the resident sees after "pay and submit", then back to Madoguchi.</summary>
public sealed class PayModel(AppDb db, TimeProvider clock, Ui t) : PageModel
{
    public LocalProviderPayment Payment { get; private set; } = null!;
    public bool InChallenge { get; private set; }

    [BindProperty]
    public string? Card { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } done) return done;
        if (Payment.Status == "created")
        {
            Payment.Status = "started";
            await db.SaveChangesAsync(ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } done) return done;
        var digits = new string((Card ?? "").Where(char.IsAsciiDigit).ToArray());
        if (digits.Length is < 12 or > 19)
        {
            ModelState.AddModelError(nameof(Card), t["localpay.error.card"]);
            return Page();
        }
        var result = LocalBank.Pay(db, clock.GetUtcNow().UtcDateTime, Payment, digits);
        await db.SaveChangesAsync(ct);
        if (result == "challenge")
        {
            InChallenge = true;
            return Page();
        }
        return Redirect(Payment.ReturnUrl);
    }

    public async Task<IActionResult> OnPostChallengeAsync(string id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } done) return done;
        LocalBank.Pay(db, clock.GetUtcNow().UtcDateTime, Payment, TestCards.Challenge, Code?.Trim() ?? "");
        await db.SaveChangesAsync(ct);
        return Redirect(Payment.ReturnUrl);
    }

    /// <summary>A finished or expired payment goes straight back to the service, as on a real provider.</summary>
    private async Task<IActionResult?> LoadAsync(string id, CancellationToken ct)
    {
        var payment = await db.LocalProviderPayments.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (payment is null) return NotFound();
        Payment = payment;
        return payment.Status is "created" or "started" && payment.ExpiresAt > clock.GetUtcNow().UtcDateTime ? null : Redirect(payment.ReturnUrl);
    }
}
