using System.Globalization;
using System.Text;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Payments.Staff;

/// <summary>
/// The money side for the city's accounting: payments of a day, refunds, our ledger as CSV, and reconciliation of our
/// ledger against the provider's (matched, only ours, only theirs, different amounts), and money only theirs given back.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class PaymentsModel(AppDb db, PaymentGateway gateway, CityCalendar calendar, TimeProvider clock, Ui t) : PageModel
{
    public sealed record Line(string Key, DateTime Date, string Type, string Reference, int Amount);

    public sealed record Reconciliation(List<(Line Ours, LedgerLine Theirs)> Matched, List<Line> OnlyOurs, List<LedgerLine> OnlyTheirs, List<(Line Ours, LedgerLine Theirs)> Different);

    public DateOnly Day { get; private set; }
    public List<Payment> Payments { get; private set; } = [];
    public Reconciliation? Report { get; private set; }
    public bool ProviderUnavailable { get; private set; }

    public async Task OnGetAsync(string? date, bool reconcile, CancellationToken ct)
    {
        var (from, to) = Range(date);
        if (reconcile)
        {
            var theirs = await gateway.ProviderLedgerAsync(from, to, ct);
            ProviderUnavailable = theirs is null;
            if (theirs is not null)
            {
                // Money the provider took for an intent we still think open (its webhooks late or lost): learn it first.
                var theirIds = theirs.Select(l => l.PaymentId).Distinct().ToList();
                foreach (var open in await db.Payments.Where(p => (p.Status == PaymentStatus.Created || p.Status == PaymentStatus.Started) && theirIds.Contains(p.ProviderPaymentId!)).ToListAsync(ct))
                {
                    await gateway.RefreshAsync(open, ct);
                }
                Report = Reconcile(await LedgerAsync(from, to, ct), theirs);
            }
        }
        Payments = await db.Payments.AsNoTracking().Where(p => p.CreatedAt >= from && p.CreatedAt < to).OrderByDescending(p => p.CreatedAt).Take(500).ToListAsync(ct);
    }

    /// <summary>Our ledger of a day as CSV (UTF-8 with BOM, so spreadsheet software reads the Japanese).</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? date, CancellationToken ct)
    {
        var (from, to) = Range(date);
        var csv = new StringBuilder("\uFEFFdate,type,reference,provider_payment_id,amount_yen\r\n");
        foreach (var line in await LedgerAsync(from, to, ct))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{calendar.ToLocal(line.Date):yyyy-MM-dd HH:mm:ss},{line.Type},{line.Reference},{line.Key},{line.Amount}\r\n");
        }
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"payments-{Day:yyyy-MM-dd}.csv");
    }

    public async Task<IActionResult> OnPostRefundAsync(Guid payment, int amount, string? date, CancellationToken ct)
    {
        var found = await db.Payments.SingleOrDefaultAsync(p => p.Id == payment, ct);
        if (found is null) return NotFound();
        var ok = await gateway.RefundAsync(found, amount, AuditLog.ActorOf(User), ct);
        return Redirect($"/staff/payments?date={date}&refund={(ok ? "ok" : "failed")}");
    }

    /// <summary>
    /// Gives back in full a payment only the provider has: made for nothing of ours, or for an intent lost with a restore
    /// from backup. The provider's ledger is read again (never the form); the payment is first recorded as found, with no
    /// application, so our ledger shows it and its refund as the provider's does, and a second click finds it recorded
    /// and refunded and refunds nothing more.
    /// </summary>
    public async Task<IActionResult> OnPostRefundTheirsAsync(string? providerPayment, string? date, CancellationToken ct)
    {
        var (from, to) = Range(date);
        var line = (await gateway.ProviderLedgerAsync(from, to, ct))?.FirstOrDefault(l => l.PaymentId == providerPayment && l.Type == "payment");
        var found = line is null ? null : await db.Payments.SingleOrDefaultAsync(p => p.ProviderPaymentId == line.PaymentId, ct) ?? await RecordFoundAsync(line, ct);
        // Only a payment recorded as found (an intent of ours always has its application or bundle).
        var ok = found is { ApplicationId: null, BundleId: null } && await gateway.RefundAsync(found, found.AmountYen - found.RefundedYen, AuditLog.ActorOf(User), ct);
        return Redirect($"/staff/payments?date={Day:yyyy-MM-dd}&reconcile=true&refund={(ok ? "ok" : "failed")}");
    }

    private async Task<Payment?> RecordFoundAsync(LedgerLine line, CancellationToken ct)
    {
        var payment = new Payment
        {
            AmountYen = line.Amount,
            Description = t.FormatIn("ja", "payments.found"),
            Reference = line.Reference.Length > 40 ? line.Reference[..40] : line.Reference,
            Status = PaymentStatus.Succeeded,
            Provider = PaymentGateway.ProviderName,
            ProviderPaymentId = line.PaymentId,
            CreatedAt = line.Date,
            ExpiresAt = line.Date,
            SettledAt = line.Date,
            UpdatedAt = clock.GetUtcNow().UtcDateTime,
            NextCheckAt = line.Date,
        };
        db.Payments.Add(payment);
        db.Audit(clock, AuditLog.ActorOf(User), "payment.found", $"payment:{payment.Id}", new { provider = line.PaymentId, line.Amount });
        try
        {
            await db.SaveChangesAsync(ct);
            return payment;
        }
        catch (DbUpdateException)
        {
            // Recorded by a request a moment ago (a double click): take that one.
            db.ChangeTracker.Clear();
            return await db.Payments.SingleOrDefaultAsync(p => p.ProviderPaymentId == line.PaymentId, ct);
        }
    }

    private (DateTime From, DateTime To) Range(string? date)
    {
        Day = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : calendar.Today;
        return (calendar.ToUtc(Day, TimeOnly.MinValue), calendar.ToUtc(Day.AddDays(1), TimeOnly.MinValue));
    }

    /// <summary>Money that moved by our records: settled payments, and refunds the provider accepted.</summary>
    private async Task<List<Line>> LedgerAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var paid = await db.Payments.AsNoTracking().Where(p => p.Status == PaymentStatus.Succeeded && p.SettledAt >= from && p.SettledAt < to)
            .Select(p => new Line(p.ProviderPaymentId!, p.SettledAt!.Value, "payment", p.Reference, p.AmountYen)).ToListAsync(ct);
        var refunded = await db.PaymentRefunds.AsNoTracking().Where(r => r.Status == "success" && r.CreatedAt >= from && r.CreatedAt < to)
            .Join(db.Payments, r => r.PaymentId, p => p.Id, (r, p) => new Line(p.ProviderPaymentId!, r.CreatedAt, "refund", p.Reference, -r.AmountYen)).ToListAsync(ct);
        return [.. paid.Concat(refunded).OrderBy(l => l.Date)];
    }

    /// <summary>Pairs each of our lines with the provider's line for the same payment and kind; what is left over on either side is reported.</summary>
    public static Reconciliation Reconcile(List<Line> ours, List<LedgerLine> theirs)
    {
        var report = new Reconciliation([], [], [], []);
        var open = theirs.ToList();
        foreach (var line in ours)
        {
            var match = open.FirstOrDefault(x => x.PaymentId == line.Key && x.Type == line.Type && x.Amount == line.Amount)
                ?? open.FirstOrDefault(x => x.PaymentId == line.Key && x.Type == line.Type);
            if (match is null)
            {
                report.OnlyOurs.Add(line);
                continue;
            }
            open.Remove(match);
            (match.Amount == line.Amount ? report.Matched : report.Different).Add((line, match));
        }
        report.OnlyTheirs.AddRange(open);
        return report;
    }
}
