using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Payments;
using Madoguchi.Web.Features.Payments.LocalProvider;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

public abstract class PaymentsTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    /// <summary>Pays on the provider's card page as a resident would, without coming back.</summary>
    private async Task PayAsync(string nextUrl)
    {
        using var browser = App.Browser();
        var card = await browser.GetAsync(nextUrl);
        var paid = await browser.SubmitAsync(card, "main form", new Dictionary<string, string> { ["Card"] = TestCards.Success }, maxRedirects: 0);
        Assert.Equal(HttpStatusCode.Redirect, paid.Status);
    }

    [Fact]
    public async Task The_ledger_reconciles_with_the_providers_and_refunds_go_through_the_provider_once()
    {
        using var client = App.Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(client, new { persona = "senior" }));
        using var response = await client.PostAsJsonAsync("/api/v1/applications", new { form = "jumin-hyo", data = new { scope = "household", copies = 3, purpose = "other" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var reference = created.RootElement.GetProperty("reference").GetString()!;
        await PayAsync(created.RootElement.GetProperty("payment").GetProperty("nextUrl").GetString()!);
        for (var i = 0; i < 100 && await WithDb(db => db.Payments.AnyAsync(p => p.Reference == reference && p.Status != PaymentStatus.Succeeded)); i++)
        {
            await Task.Delay(100, Ct);
        }

        // Someone paid the provider directly, for nothing of ours: reconciliation must show it.
        using var provider = App.Api();
        provider.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LocalBank.DemoApiKey);
        using var stray = new HttpRequestMessage(HttpMethod.Post, "/local-pay/v1/payments") { Content = JsonContent.Create(new { amount = 450, reference = "STRAY-1", description = "x", return_url = "http://127.0.0.1/" }) };
        stray.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var strayResponse = await provider.SendAsync(stray, Ct);
        using var strayJson = JsonDocument.Parse(await strayResponse.Content.ReadAsStringAsync(Ct));
        await PayAsync(strayJson.RootElement.GetProperty("_links").GetProperty("next_url").GetProperty("href").GetString()!);

        var admin = await StaffSessionAsync("admin");
        var report = await admin.GetAsync("/staff/payments?reconcile=true");
        Assert.Equal("一致 1件、当方のみ 0件、事業者のみ 1件、金額相違 0件", report.Document.QuerySelector("#reconcile-summary")!.TextContent.Trim());
        Assert.Contains("STRAY-1", report.Document.QuerySelector("#reconciliation .only-theirs")!.TextContent);

        // A partial refund reaches the provider once; more than what is left is refused.
        var refunded = await admin.SubmitAsync(report, "#payments form", new Dictionary<string, string> { ["amount"] = "300" });
        Assert.NotNull(refunded.Document.QuerySelector("#refund-ok"));
        var tooMuch = await admin.SubmitAsync(refunded, "#payments form", new Dictionary<string, string> { ["amount"] = "999" });
        Assert.NotNull(tooMuch.Document.QuerySelector("#refund-failed"));
        var payment = await WithDb(db => db.Payments.SingleAsync(p => p.Reference == reference));
        Assert.Equal(300, payment.RefundedYen);
        Assert.Single(await WithDb(db => db.LocalProviderEvents.Where(e => e.PaymentId == payment.ProviderPaymentId && e.Type == "card_payment_refunded").ToListAsync()));

        report = await admin.GetAsync("/staff/payments?reconcile=true");
        Assert.StartsWith("一致 2件", report.Document.QuerySelector("#reconcile-summary")!.TextContent.Trim(), StringComparison.Ordinal);
        using var csv = await admin.Http.GetAsync("/staff/payments?handler=Csv", Ct);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = await csv.Content.ReadAsStringAsync(Ct);
        Assert.Contains($",payment,{reference},{payment.ProviderPaymentId},900", text);
        Assert.Contains($",refund,{reference},{payment.ProviderPaymentId},-300", text);
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == "payment.refund-requested" && e.Subject == $"payment:{payment.Id}")));
    }

    [Fact]
    public async Task An_unpaid_intent_expires_and_its_application_goes_back_to_draft_with_a_notice()
    {
        using var client = App.Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(client, new { persona = "bereaved" }));
        using var response = await client.PostAsJsonAsync("/api/v1/applications", new { form = "jumin-hyo", data = new { scope = "self", copies = 1, purpose = "work" } }, Ct);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var id = Guid.Parse(created.RootElement.GetProperty("id").GetString()!);
        var payment = await WithDb(db => db.Payments.SingleAsync(p => p.ApplicationId == id));

        // 90 minutes pass at the provider without a card being entered.
        await WithDb(db => db.LocalProviderPayments.Where(p => p.Id == payment.ProviderPaymentId).ExecuteUpdateAsync(u => u.SetProperty(p => p.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        for (var i = 0; i < 100 && await WithDb(db => db.Applications.AnyAsync(a => a.Id == id && a.Status != "draft")); i++)
        {
            await Task.Delay(100, Ct);
        }
        var application = await WithDb(db => db.Applications.Include(a => a.Events).SingleAsync(a => a.Id == id));
        Assert.Equal("draft", application.Status);
        Assert.Equal(PaymentStatus.Expired, (await WithDb(db => db.Payments.SingleAsync(p => p.Id == payment.Id))).Status);
        Assert.Contains(application.Events, e => e.Status == "draft" && e.Actor == "provider" && e.Note!.Contains("お支払いが完了しなかった", StringComparison.Ordinal));

        // An intent the provider never received lapses by our own sweep.
        using var created2 = await client.PostAsJsonAsync("/api/v1/applications", new { form = "jumin-hyo", data = new { scope = "self", copies = 2, purpose = "work" } }, Ct);
        using var json2 = JsonDocument.Parse(await created2.Content.ReadAsStringAsync(Ct));
        var id2 = Guid.Parse(json2.RootElement.GetProperty("id").GetString()!);
        await WithDb(db => db.Payments.Where(p => p.ApplicationId == id2).ExecuteUpdateAsync(u => u
            .SetProperty(p => p.ProviderPaymentId, (string?)null).SetProperty(p => p.Status, PaymentStatus.Created).SetProperty(p => p.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        await App.Service<IEnumerable<Microsoft.Extensions.Hosting.IHostedService>>().OfType<PaymentSweeper>().Single().RunOnceAsync(Ct);
        Assert.Equal("draft", await WithDb(db => db.Applications.Where(a => a.Id == id2).Select(a => a.Status).SingleAsync()));
    }
}

public sealed class PaymentsTests_Sqlite(SqliteApp app) : PaymentsTests<SqliteApp>(app);

public sealed class PaymentsTests_Postgres(PostgresApp app) : PaymentsTests<PostgresApp>(app);
