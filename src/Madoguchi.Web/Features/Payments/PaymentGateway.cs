using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Platform.Mail;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Payments;

public sealed class PaymentsOptions
{
    /// <summary>The provider's API base URL; empty means this site (where the built-in local provider answers in demo mode).</summary>
    public string BaseUrl { get; set; } = "";
    public string ApiKey { get; set; } = "";
    public string WebhookSecret { get; set; } = "";
    /// <summary>How often unpaid intents past their expiry are checked with the provider.</summary>
    public double SweepSeconds { get; set; } = 30;
}

public sealed record LedgerLine(string TransactionId, DateTime Date, string Type, string PaymentId, string Reference, int Amount);

/// <summary>
/// Madoguchi's client of a GOV.UK Pay–style provider, and what it does with the answers. The provider's word arrives
/// by signed webhook or by our own server-to-server status query; the browser coming back proves nothing.
/// </summary>
public sealed class PaymentGateway(AppDb db, TimeProvider clock, IHttpClientFactory http, IOptions<PaymentsOptions> options, Transitions transitions, Ui t, ILogger<PaymentGateway> log)
{
    public const string Client = "payments";
    public const string ProviderName = "local";

    private HttpClient Api()
    {
        var client = http.CreateClient(Client);
        var baseUrl = options.Value.BaseUrl.Length > 0 ? options.Value.BaseUrl.TrimEnd('/') : t.BaseUrl + "/local-pay";
        client.BaseAddress = new Uri(baseUrl + "/");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.ApiKey);
        return client;
    }

    /// <summary>
    /// Asks the provider for a payment page. The idempotency key comes from the intent, so a retry after a timeout
    /// or a crash finds the same provider payment instead of making a second one. Null when the provider cannot be reached.
    /// </summary>
    public async Task<string?> StartAsync(Payment payment, string returnUrl, CancellationToken ct)
    {
        if (payment.Status == PaymentStatus.Started && payment.NextUrl is not null)
        {
            return payment.NextUrl;
        }
        if (payment.Status != PaymentStatus.Created)
        {
            return null;
        }
        JsonObject? resource;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/payments")
            {
                Content = JsonContent.Create(new { amount = payment.AmountYen, reference = payment.Reference, description = payment.Description, return_url = returnUrl }),
            };
            request.Headers.Add("Idempotency-Key", payment.IdempotencyKey);
            using var response = await Api().SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                log.LogWarning("Payment provider refused to create payment {Payment}: {Status}", payment.Id, (int)response.StatusCode);
                return null;
            }
            resource = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LogWarning("Payment provider unreachable for payment {Payment}: {Error}", payment.Id, e.GetType().Name);
            return null;
        }
        payment.ProviderPaymentId = resource?["payment_id"]?.GetValue<string>();
        payment.NextUrl = resource?["_links"]?["next_url"]?["href"]?.GetValue<string>();
        if (payment.ProviderPaymentId is null || payment.NextUrl is null)
        {
            return null;
        }
        payment.Status = PaymentStatus.Started;
        payment.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        payment.Revision++;
        await db.SaveChangesAsync(ct);
        return payment.NextUrl;
    }

    /// <summary>Asks the provider where a payment stands and applies the answer (the resident came back, or the intent expired).</summary>
    public async Task<bool> RefreshAsync(Payment payment, CancellationToken ct)
    {
        if (payment.ProviderPaymentId is null)
        {
            return false;
        }
        try
        {
            var resource = await Api().GetFromJsonAsync<JsonObject>($"v1/payments/{Uri.EscapeDataString(payment.ProviderPaymentId)}", ct);
            return resource is not null && await ApplyAsync(resource, null, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
        catch (DbUpdateConcurrencyException)
        {
            // The webhook applied the same news a moment earlier; its version stands.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>
    /// Applies the provider's view of a payment. Events come at least once and in any order, so this only ever moves
    /// forward: a final status is never replaced, a refunded amount never shrinks. With <paramref name="receipt"/>, the
    /// event is recorded in the same transaction so it is applied once. False when there is nothing to apply it to yet.
    /// </summary>
    public async Task<bool> ApplyAsync(JsonObject resource, WebhookReceipt? receipt, CancellationToken ct)
    {
        var providerId = resource["payment_id"]?.GetValue<string>();
        var payment = providerId is null ? null : await db.Payments.SingleOrDefaultAsync(p => p.ProviderPaymentId == providerId, ct);
        if (payment is null)
        {
            return false;
        }
        await ApplyToAsync(payment, resource, receipt, ct);
        return true;
    }

    /// <summary>An intent the provider never took (or stays silent about) past its expiry: nothing can be paid on it any more.</summary>
    public Task ExpireAsync(Payment payment, CancellationToken ct) =>
        ApplyToAsync(payment, new JsonObject { ["state"] = new JsonObject { ["status"] = "failed", ["code"] = "P0020" } }, null, ct);

    private async Task ApplyToAsync(Payment payment, JsonObject resource, WebhookReceipt? receipt, CancellationToken ct)
    {
        var state = resource["state"];
        var status = state?["status"]?.GetValue<string>() switch
        {
            "success" => PaymentStatus.Succeeded,
            "failed" or "cancelled" or "error" => state?["code"]?.GetValue<string>() == "P0020" ? PaymentStatus.Expired : PaymentStatus.Failed,
            _ => PaymentStatus.Started,
        };
        var now = clock.GetUtcNow().UtcDateTime;
        var refunded = resource["refund_summary"]?["amount_refunded"]?.GetValue<int>() ?? 0;
        var changed = false;
        if (!PaymentStatus.Final(payment.Status) && PaymentStatus.Final(status))
        {
            payment.Status = status;
            payment.FailureCode = state?["code"]?.GetValue<string>();
            payment.SettledAt = status == PaymentStatus.Succeeded ? now : null;
            changed = true;
            await SettleApplicationsAsync(payment, ct);
        }
        if (refunded > payment.RefundedYen)
        {
            payment.RefundedYen = refunded;
            changed = true;
        }
        if (changed)
        {
            payment.UpdatedAt = now;
            payment.Revision++;
            db.Audit(clock, "provider", "payment." + payment.Status, $"payment:{payment.Id}", new { payment.RefundedYen });
        }
        if (receipt is not null)
        {
            db.WebhookReceipts.Add(receipt);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Paid: the waiting applications are received. Not paid: they go back to draft so the resident can pay again.</summary>
    private async Task SettleApplicationsAsync(Payment payment, CancellationToken ct)
    {
        var waiting = await db.Applications
            .Where(a => a.Status == ApplicationStatus.PaymentPending && (a.Id == payment.ApplicationId || (payment.BundleId != null && a.BundleId == payment.BundleId)))
            .ToListAsync(ct);
        foreach (var application in waiting)
        {
            if (payment.Status == PaymentStatus.Succeeded)
            {
                await transitions.MoveAsync(application, ApplicationStatus.Received, "provider", null, ct);
            }
            else
            {
                application.FeeYen = 0;
                await transitions.MoveAsync(application, ApplicationStatus.Draft, "provider", t["payment.failed.note"], ct);
            }
        }
    }

    /// <summary>Refunds part or all of a paid amount; the key makes a repeated click one refund.</summary>
    public async Task<bool> RefundAsync(Payment payment, int amount, string actor, CancellationToken ct)
    {
        if (payment.Status != PaymentStatus.Succeeded || payment.ProviderPaymentId is null || amount < 1 || amount > payment.AmountYen - payment.RefundedYen)
        {
            return false;
        }
        var refund = new PaymentRefund { PaymentId = payment.Id, AmountYen = amount, Actor = actor, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.PaymentRefunds.Add(refund);
        db.Audit(clock, actor, "payment.refund-requested", $"payment:{payment.Id}", new { amount });
        await db.SaveChangesAsync(ct);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/payments/{Uri.EscapeDataString(payment.ProviderPaymentId)}/refunds")
            {
                Content = JsonContent.Create(new { amount }),
            };
            request.Headers.Add("Idempotency-Key", $"{refund.Id:N}-refund");
            using var response = await Api().SendAsync(request, ct);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
            refund.Status = response.IsSuccessStatusCode ? "success" : "error";
            refund.ProviderRefundId = body?["refund_id"]?.GetValue<string>();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            refund.Status = "error";
        }
        if (refund.Status == "success"
            && await db.Residents.Where(r => r.Id == payment.ResidentId).Select(r => new { r.Email, r.Language }).SingleOrDefaultAsync(ct) is { Email.Length: > 0 } resident)
        {
            // The resident hears of it with the refund itself (the outbox sends it once the refund is stored).
            db.QueueMail(clock, resident.Email, t.FormatIn(resident.Language, "refund.mail.subject", payment.Reference),
                t.FormatIn(resident.Language, "refund.mail.body", payment.Reference, amount.ToString("N0", CultureInfo.InvariantCulture)));
        }
        await db.SaveChangesAsync(ct);
        if (refund.Status == "success")
        {
            // The refund webhook may count it too, even while we do: take the larger of the two views, and if the
            // webhook saved the payment in between, read it again and compare once more.
            var total = await db.PaymentRefunds.Where(r => r.PaymentId == payment.Id && r.Status == "success").SumAsync(r => r.AmountYen, ct);
            for (var attempt = 0; payment.RefundedYen < total; attempt++)
            {
                payment.RefundedYen = total;
                payment.Revision++;
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateConcurrencyException) when (attempt < 3)
                {
                    await db.Entry(payment).ReloadAsync(ct);
                }
            }
        }
        return refund.Status == "success";
    }

    /// <summary>The provider's ledger for a period, for reconciliation.</summary>
    public async Task<List<LedgerLine>?> ProviderLedgerAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        try
        {
            var csv = await Api().GetStringAsync($"v1/ledger?from={from:O}&to={to:O}", ct);
            return [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')).Where(c => c.Length == 6).Select(c => new LedgerLine(
                c[0], DateTime.Parse(c[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), c[2], c[3], c[4], int.Parse(c[5], CultureInfo.InvariantCulture)))];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
