using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Payments;
using Madoguchi.Web.Features.Payments.LocalProvider;
using Madoguchi.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Madoguchi.Tests;

public abstract class PaymentsTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    /// <summary>Pays on the provider's card page as a resident would, without coming back.</summary>
    private async Task PayAsync(string nextUrl, MadoguchiApp? on = null)
    {
        using var browser = (on ?? App).Browser();
        var card = await browser.GetAsync(nextUrl);
        var paid = await browser.SubmitAsync(card, "main form", new Dictionary<string, string> { ["Card"] = TestCards.Success }, maxRedirects: 0);
        Assert.Equal(HttpStatusCode.Redirect, paid.Status);
    }

    /// <summary>A node of its own, so the provider's failures it is told to show reach no other test's payments.</summary>
    private async Task<(MadoguchiApp Node, LocalProviderFaults Faults, HttpClient Client)> FaultyProviderAsync(string persona)
    {
        var node = new MadoguchiApp(App.Provider);
        await node.InitializeAsync();
        var client = node.Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(client, new { persona }));
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ja");
        return (node, node.Services.GetRequiredService<LocalProviderFaults>(), client);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();

    [Fact]
    public async Task A_provider_that_refuses_or_loses_its_answer_charges_once_and_the_application_waits_for_payment_meanwhile()
    {
        var (node, faults, client) = await FaultyProviderAsync("senior");
        await using var _ = node;
        using var __ = client;

        // The provider is down when the application is filed: it is kept, waiting for payment, with no page to pay on yet.
        faults.RefuseCreates(1);
        using var filed = await client.PostAsJsonAsync("/api/v1/applications", new { form = "jumin-hyo", data = new { scope = "self", copies = 2, purpose = "work" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var created = await JsonAsync(filed);
        var id = created.GetProperty("id").GetString()!;
        var reference = created.GetProperty("reference").GetString()!;
        Assert.Equal("payment-pending", created.GetProperty("status").GetString());
        Assert.Equal(PaymentStatus.Created, created.GetProperty("payment").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("payment").GetProperty("nextUrl").ValueKind);
        Task<List<string>> ProviderPaymentsAsync() => WithDb(node, db => db.LocalProviderPayments.Where(p => p.Reference == reference).Select(p => p.Id).ToListAsync(Ct));
        Assert.Empty(await ProviderPaymentsAsync());

        // Asked again, the provider makes the payment but the answer is lost on the way: the resident is told to try later.
        faults.LoseCreateAnswers(1);
        using var lost = await client.PostAsync($"/api/v1/applications/{id}/payment", null, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), lost.Headers.RetryAfter?.Delta);
        Assert.Contains("申請は保存されています", (await JsonAsync(lost)).GetProperty("title").GetString(), StringComparison.Ordinal);
        var made = Assert.Single(await ProviderPaymentsAsync());

        // Asked once more, and again: the payment the provider already made, never a second one.
        using var ready = await client.PostAsync($"/api/v1/applications/{id}/payment", null, Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var nextUrl = (await JsonAsync(ready)).GetProperty("nextUrl").GetString()!;
        Assert.EndsWith($"/local-pay/pay/{made}", nextUrl, StringComparison.Ordinal);
        using var again = await client.PostAsync($"/api/v1/applications/{id}/payment", null, Ct);
        Assert.Equal(nextUrl, (await JsonAsync(again)).GetProperty("nextUrl").GetString());
        Assert.Equal([made], await ProviderPaymentsAsync());
        Assert.Equal(made, await WithDb(node, db => db.Payments.Where(p => p.Reference == reference).Select(p => p.ProviderPaymentId).SingleAsync(Ct)));

        // Paid: received, charged once, and nothing is left to pay.
        await PayAsync(nextUrl, node);
        for (var i = 0; i < 100 && await WithDb(node, db => db.Applications.AnyAsync(a => a.Reference == reference && a.Status != "received", Ct)); i++)
        {
            await Task.Delay(100, Ct);
        }
        Assert.Equal("received", await WithDb(node, db => db.Applications.Where(a => a.Reference == reference).Select(a => a.Status).SingleAsync(Ct)));
        Assert.Equal([600], await WithDb(node, db => db.LocalProviderEvents.Where(e => e.PaymentId == made && e.Amount != 0).Select(e => e.Amount).ToListAsync(Ct)));
        using var paid = await client.PostAsync($"/api/v1/applications/{id}/payment", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, paid.StatusCode);
    }

    [Fact]
    public async Task A_payment_whose_webhooks_are_held_back_is_learned_by_asking_the_provider_and_the_late_webhooks_change_nothing()
    {
        var (node, faults, client) = await FaultyProviderAsync("bereaved");
        await using var _ = node;
        using var __ = client;
        faults.HoldWebhooks = true;
        async Task<(string Reference, string ProviderId)> PaidWithTabClosedAsync(int copies)
        {
            using var filed = await client.PostAsJsonAsync("/api/v1/applications", new { form = "jumin-hyo", data = new { scope = "self", copies, purpose = "work" } }, Ct);
            var created = await JsonAsync(filed);
            var nextUrl = created.GetProperty("payment").GetProperty("nextUrl").GetString()!;
            await PayAsync(nextUrl, node);
            return (created.GetProperty("reference").GetString()!, nextUrl[(nextUrl.LastIndexOf('/') + 1)..]);
        }
        Task<string> StatusAsync(string reference) => WithDb(node, db => db.Applications.Where(a => a.Reference == reference).Select(a => a.Status).SingleAsync(Ct));
        var bySweep = await PaidWithTabClosedAsync(1);
        var byReconciliation = await PaidWithTabClosedAsync(3);
        Assert.Equal("payment-pending", await StatusAsync(bySweep.Reference));

        // Ten silent minutes later the sweep asks the provider, and the resident is received.
        await WithDb(node, db => db.Payments.Where(p => p.Reference == bySweep.Reference).ExecuteUpdateAsync(u => u.SetProperty(p => p.NextCheckAt, DateTime.UtcNow.AddSeconds(-1)), Ct));
        await node.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<PaymentSweeper>().Single().RunOnceAsync(Ct);
        Assert.Equal("received", await StatusAsync(bySweep.Reference));
        Assert.Equal("payment-pending", await StatusAsync(byReconciliation.Reference));
        // Its mail, written where no request tells the address, still links back to the application.
        var mail = await Mailbox.WaitForAsync(node.MailFolder, m => m.Subject is { } subject && subject.Contains(bySweep.Reference, StringComparison.Ordinal) && subject.Contains("受付済み", StringComparison.Ordinal));
        var applicationId = await WithDb(node, db => db.Applications.Where(a => a.Reference == bySweep.Reference).Select(a => a.Id).SingleAsync(Ct));
        Assert.Equal(new Uri(node.BaseAddress, $"/applications/{applicationId}"), new Uri(Mailbox.LinkIn(mail, "/applications/")));

        // Reconciling with the provider's ledger learns the other one before comparing: nothing is only theirs.
        using var admin = await SignInStaffAsync(node, "admin");
        var report = await admin.GetAsync("/staff/payments?reconcile=true");
        Assert.Equal("一致 2件、当方のみ 0件、事業者のみ 0件、金額相違 0件", report.Document.QuerySelector("#reconcile-summary")!.TextContent.Trim());
        Assert.Equal("received", await StatusAsync(byReconciliation.Reference));

        // The provider's webhooks come at last, twice each, and change nothing.
        faults.HoldWebhooks = false;
        string[] providerIds = [bySweep.ProviderId, byReconciliation.ProviderId];
        for (var i = 0; i < 100 && await WithDb(node, db => db.LocalProviderEvents.AnyAsync(e => providerIds.Contains(e.PaymentId) && e.DeliveredAt == null, Ct)); i++)
        {
            await Task.Delay(100, Ct);
        }
        Assert.False(await WithDb(node, db => db.LocalProviderEvents.AnyAsync(e => providerIds.Contains(e.PaymentId) && e.DeliveredAt == null, Ct)));
        foreach (var (reference, _) in new[] { bySweep, byReconciliation })
        {
            var application = await WithDb(node, db => db.Applications.Include(a => a.Events).SingleAsync(a => a.Reference == reference, Ct));
            Assert.Single(application.Events, e => e.Status == "received");
            var paymentId = await WithDb(node, db => db.Payments.Where(p => p.Reference == reference).Select(p => p.Id).SingleAsync(Ct));
            Assert.Single(await WithDb(node, db => db.AuditEntries.Where(e => e.Action == "payment.succeeded" && e.Subject == $"payment:{paymentId}").ToListAsync(Ct)));
        }
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
        // The resident is told, in their language, once.
        var told = await Mailbox.WaitForAsync(App.MailFolder, m => m.Subject is { } subject && subject.Contains("返金", StringComparison.Ordinal) && subject.Contains(reference, StringComparison.Ordinal));
        Assert.Contains("300円を返金しました", told.TextBody, StringComparison.Ordinal);
        Assert.Single(await Mailbox.ReadAllAsync(App.MailFolder), m => m.Subject is { } subject && subject.Contains("返金", StringComparison.Ordinal) && subject.Contains(reference, StringComparison.Ordinal));

        report = await admin.GetAsync("/staff/payments?reconcile=true");
        Assert.StartsWith("一致 2件", report.Document.QuerySelector("#reconcile-summary")!.TextContent.Trim(), StringComparison.Ordinal);
        using var csv = await admin.Http.GetAsync("/staff/payments?handler=Csv", Ct);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = await csv.Content.ReadAsStringAsync(Ct);
        Assert.Contains($",payment,{reference},{payment.ProviderPaymentId},900", text);
        Assert.Contains($",refund,{reference},{payment.ProviderPaymentId},-300", text);
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == "payment.refund-requested" && e.Subject == $"payment:{payment.Id}")));

        // The money only the provider has goes back from the report, in full, recorded as found so both ledgers agree.
        var strayId = strayJson.RootElement.GetProperty("payment_id").GetString()!;
        var refundTheirs = report.Document.QuerySelector("#reconciliation .only-theirs form")!;
        var givenBack = await admin.SubmitAsync(report, "#reconciliation .only-theirs form");
        Assert.NotNull(givenBack.Document.QuerySelector("#refund-ok"));
        Assert.Equal("一致 4件、当方のみ 0件、事業者のみ 0件、金額相違 0件", givenBack.Document.QuerySelector("#reconcile-summary")!.TextContent.Trim());
        var found = await WithDb(db => db.Payments.SingleAsync(p => p.ProviderPaymentId == strayId));
        Assert.Equal((450, 450, "STRAY-1", (Guid?)null), (found.AmountYen, found.RefundedYen, found.Reference, found.ApplicationId));
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == "payment.found" && e.Subject == $"payment:{found.Id}")));
        // The same form sent again (a double click, a page kept open) gives nothing more back; nor does it for a payment of ours.
        var fields = refundTheirs.QuerySelectorAll("input").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        using var again = await admin.PostFormAsync("/staff/payments?handler=RefundTheirs", fields);
        Assert.Contains("refund=failed", again.Headers.Location!.OriginalString, StringComparison.Ordinal);
        fields["providerPayment"] = payment.ProviderPaymentId!;
        using var ours = await admin.PostFormAsync("/staff/payments?handler=RefundTheirs", fields);
        Assert.Contains("refund=failed", ours.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Single(await WithDb(db => db.LocalProviderEvents.Where(e => e.PaymentId == strayId && e.Type == "card_payment_refunded").ToListAsync()));
        Assert.Equal(300, await WithDb(db => db.Payments.Where(p => p.Id == payment.Id).Select(p => p.RefundedYen).SingleAsync()));
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
