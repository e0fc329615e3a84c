using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Madoguchi.Tests;

public abstract class ApplicationsTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private static Dictionary<string, string> Next(params (string Key, string Value)[] fields)
    {
        var values = fields.ToDictionary(f => f.Key, f => f.Value);
        values["action"] = "next";
        return values;
    }

    /// <summary>Starts an application from the procedure's apply page and returns the first form page.</summary>
    private static async Task<Browser.Page> StartAsync(Browser browser, string procedureSlug)
    {
        var apply = await browser.GetAsync($"/apply/{procedureSlug}");
        Assert.Equal(HttpStatusCode.OK, apply.Status);
        var first = await browser.SubmitAsync(apply, "main form");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Matches("^/applications/[0-9a-f-]{36}/edit$", first.Url.AbsolutePath);
        return first;
    }

    private static string? Value(Browser.Page page, string id) => page.Document.QuerySelector<IHtmlInputElement>("#" + id)?.Value;

    private static Guid IdOf(Browser.Page page) => Guid.Parse(page.Url.AbsolutePath.Split('/')[2]);

    [Fact]
    public async Task A_card_persona_applies_for_the_child_allowance_pre_filled_and_follows_it_in_my_applications()
    {
        using var browser = await SignInWithDemoProviderAsync("newborn-parent");
        var page = await StartAsync(browser, "jido-teate-minami");
        var id = IdOf(page);

        // 基本4情報 from the card are shown, not editable; the phone is pre-filled and marked.
        Assert.Contains("田中 さくら", page.Text);
        Assert.Contains("マイナンバーカードの情報", page.Text);
        Assert.Null(page.Document.QuerySelector("input[name='f.applicant.name']"));
        Assert.Equal("090-1111-0004", Value(page, "f-phone"));

        // A locked answer posted anyway is ignored.
        page = await browser.SubmitAsync(page, "main form", Next(("f.lives_with_children", "yes"), ("f.applicant.name", "別人 太郎")));
        Assert.EndsWith("/edit/children", page.Url.AbsolutePath);
        // The household's child is already there.
        Assert.Equal("田中 ひなた", Value(page, "f-children-0-name"));
        Assert.Equal("2026", Value(page, "f-children-0-birthdate-year"));
        page = await browser.SubmitAsync(page, "main form", Next());
        Assert.EndsWith("/edit/spouse", page.Url.AbsolutePath);

        // Saying there is a spouse brings the spouse's questions onto the same page, the spouse pre-filled.
        page = await browser.SubmitAsync(page, "main form", Next(("f.has_spouse", "yes")));
        Assert.EndsWith("/edit/spouse", page.Url.AbsolutePath);
        Assert.Equal("田中 翔太", Value(page, "f-spouse-name"));
        page = await browser.SubmitAsync(page, "main form", Next(("f.higher_income", "yes")));
        page = await browser.SubmitAsync(page, "main form", Next(("f.insurance", "kokuho")));
        Assert.EndsWith("/edit/bank", page.Url.AbsolutePath);

        // Bad answers are kept and explained in Japanese, each linked to its input.
        page = await browser.SubmitAsync(page, "main form", Next(("f.bank.bank", "12"), ("f.bank.branch", "001"), ("f.bank.number", "1234567"), ("f.bank.holder", "tanaka")));
        Assert.EndsWith("/edit/bank", page.Url.AbsolutePath);
        var summary = page.Document.QuerySelectorAll(".error-summary a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("#f-bank-bank", summary);
        Assert.Contains("#f-bank-holder", summary);
        Assert.Contains("4桁の数字", page.Text);
        Assert.NotNull(page.Document.QuerySelector("#f-bank-bank"));
        Assert.Equal("001", Value(page, "f-bank-branch"));

        page = await browser.SubmitAsync(page, "main form", Next(("f.bank.bank", "0001"), ("f.bank.holder", "たなか さくら")));
        Assert.EndsWith("/check", page.Url.AbsolutePath);
        Assert.Contains("タナカ サクラ", page.Text);
        Assert.Contains("田中 さくら", page.Text);
        Assert.DoesNotContain("別人", page.Text);

        // Without the declaration nothing is filed.
        var refused = await browser.SubmitAsync(page, "main form");
        Assert.EndsWith("/check", refused.Url.AbsolutePath);
        Assert.Contains("チェックを入れてください", refused.Text);

        var done = await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Declaration"] = "yes" });
        Assert.Equal($"/applications/{id}", done.Url.AbsolutePath);
        Assert.Contains("申請を受け付けました", done.Text);
        var reference = done.Document.QuerySelector("#reference")!.TextContent.Trim();
        Assert.Matches("^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$", reference);
        Assert.Equal("受付済み", done.Document.QuerySelector("#status")!.TextContent.Trim());

        var mine = await browser.GetAsync("/applications");
        Assert.Contains(reference, mine.Text);
        Assert.Contains("児童手当", mine.Text);

        var mail = await Mailbox.WaitForAsync(App.MailFolder, m => m.TextBody?.Contains(reference, StringComparison.Ordinal) == true);
        Assert.Contains("受付済み", mail.Subject);

        var stored = await WithDb(db => db.Applications.Include(a => a.Events).SingleAsync(a => a.Id == id));
        var answers = JsonNode.Parse(stored.Data)!;
        Assert.Equal("田中 さくら", answers["applicant"]!["name"]!.GetValue<string>());
        Assert.Equal("1234567", answers["bank"]!["number"]!.GetValue<string>());
        Assert.Equal(["draft", "received"], stored.Events.OrderBy(e => e.At).Select(e => e.Status));
        Assert.Equal("minami", stored.Office);
    }

    private async Task<HttpClient> ApiAsAsync(string persona)
    {
        var client = App.Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(client, new { persona }));
        return client;
    }

    private static object JuminHyo(int copies) => new
    {
        form = "jumin-hyo",
        data = new { scope = "self", copies, purpose = "work" },
    };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_rush_past_the_limit_is_turned_away_at_once_and_the_retries_file_each_application_once()
    {
        await using var node = new MadoguchiApp(App.Provider);
        node.Settings["RateLimits:SubmissionsInFlight"] = "1";
        await node.InitializeAsync();
        using var client = node.Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(client, new { persona = "expecting-couple" }));
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ja");
        var body = PregnancyNotice();
        var keys = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid().ToString()).ToList();
        async Task<(HttpStatusCode Status, string? RetryAfter, string Title)> SendAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request, Ct);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            return (response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                json.RootElement.TryGetProperty("title", out var title) ? title.GetString()! : "");
        }
        Task<List<string>> StoredAsync() =>
            WithDb(node, db => db.Applications.Where(a => a.RequestKey != null).Select(a => a.RequestKey!.Substring(4)).ToListAsync(Ct));

        // Twelve at once through a door that lets one in at a time: some are turned away, told when to come back.
        var first = await Task.WhenAll(keys.Select(SendAsync));
        var refused = keys.Where((_, i) => first[i].Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.All(first, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        Assert.NotEmpty(refused);
        Assert.All(first.Where(r => r.Status == HttpStatusCode.ServiceUnavailable), r =>
        {
            Assert.Equal("2", r.RetryAfter);
            Assert.Contains("混み合っています", r.Title, StringComparison.Ordinal);
        });
        // Turned away before any work: nothing of theirs is stored.
        Assert.Empty((await StoredAsync()).Intersect(refused));

        // The retries with the same keys file each application exactly once.
        foreach (var key in refused)
        {
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(key)).Status);
        }
        Assert.Equal(keys.Order(), (await StoredAsync()).Order());

        // A resident's browser is shown a page that says the draft is kept.
        using var page = await client.GetAsync("/error/503", Ct);
        Assert.Contains("入力した内容は保存されています", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    /// <summary>A body that arrives in two halves, the second only when released: a submission held in flight.</summary>
    private sealed class HeldContent(byte[] body, Task release) : HttpContent
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            Started.TrySetResult();
            await release;
            await stream.WriteAsync(body.AsMemory(body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task A_submission_past_the_limit_is_turned_away_before_its_token_is_examined()
    {
        await using var node = new MadoguchiApp(App.Provider);
        node.Settings["RateLimits:SubmissionsInFlight"] = "1";
        await node.InitializeAsync();
        using var client = node.Api();
        var token = await DemoApiTests<TApp>.TokenAsync(client, new { persona = "expecting-couple" });
        async Task<HttpStatusCode> ForgedAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = JsonContent.Create(PregnancyNotice()) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "forged-" + Guid.NewGuid().ToString("N"));
            using var response = await client.SendAsync(request, Ct);
            return response.StatusCode;
        }
        // With the door free, a forged token is examined and refused.
        Assert.Equal(HttpStatusCode.Unauthorized, await ForgedAsync());

        // One resident's submission holds the only place while its body is still arriving. A forged request sent at the
        // same moment may reach the place first and have the held one turned away; then the hold is tried again.
        TaskCompletionSource release = null!;
        Task<HttpResponseMessage> sending = null!;
        var turnedAway = false;
        for (var attempt = 0; attempt < 5 && !turnedAway; attempt++)
        {
            release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var content = new HeldContent(JsonSerializer.SerializeToUtf8Bytes(PregnancyNotice()), release.Task);
            var held = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = content };
            held.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            held.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            sending = client.SendAsync(held, Ct);
            await content.Started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

            // Meanwhile the limit answers first: the forged token is turned away like any submission, without the cost
            // of checking it (ADR 0010). Were authentication first, it would be 401 every time.
            for (var i = 0; i < 50 && !turnedAway && !sending.IsCompleted; i++)
            {
                turnedAway = await ForgedAsync() == HttpStatusCode.ServiceUnavailable;
                if (!turnedAway) await Task.Delay(20, Ct);
            }
            if (!turnedAway)
            {
                release.SetResult();
                (await sending).Dispose();
            }
        }
        Assert.True(turnedAway, "a forged token was examined while the only place was taken");

        // The held submission is filed once its body is complete, and the door is free again.
        release.SetResult();
        using var response = await sending;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ForgedAsync());
    }

    [Fact]
    public async Task The_api_files_once_per_idempotency_key_and_refuses_the_key_with_another_body()
    {
        using var client = await ApiAsAsync("single-adult");
        var body = PregnancyNotice();
        var key = Guid.NewGuid().ToString();
        var first = await PostAsync(client, body, key);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal("received", first.Body.GetProperty("status").GetString());
        // Pre-filled from the card: the applicant and address were not sent.
        Assert.Equal("佐藤 健一", first.Body.GetProperty("data").GetProperty("applicant").GetProperty("name").GetString());
        Assert.Equal("ninshin-todoke-chuo", first.Body.GetProperty("procedure").GetString());

        // The replay is the same answer, to the byte (times included, as the database keeps them).
        var again = await PostAsync(client, body, key);
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Equal(first.Body.GetRawText(), again.Body.GetRawText());

        var other = await PostAsync(client, new { form = "ninshin-todoke", data = new { due_date = "2027-06-01", weeks = 5, multiple = "no", clinic = "x", interview = "no" } }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);

        // Ten at once with one key: one application, and every answer names it (or says it is being made).
        var raceKey = Guid.NewGuid().ToString();
        var race = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostAsync(client, body, raceKey)));
        Assert.All(race, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, r.Status.ToString()));
        Assert.Single(race.Where(r => r.Status == HttpStatusCode.Created).Select(r => r.Body.GetProperty("id").GetString()).Distinct());
        var count = await WithDb(db => db.Applications.CountAsync(a => a.RequestKey == "api:" + raceKey));
        Assert.Equal(1, count);

        // Without a key, two posts are two applications.
        var a = await PostAsync(client, body, null);
        var b = await PostAsync(client, body, null);
        Assert.NotEqual(a.Body.GetProperty("id").GetString(), b.Body.GetProperty("id").GetString());

        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/v1/me/applications", Ct));
        Assert.Contains(list.RootElement.EnumerateArray(), e => e.GetProperty("reference").GetString() == first.Body.GetProperty("reference").GetString());
    }

    [Fact]
    public async Task Bad_api_data_gets_field_errors_in_the_residents_language_and_nothing_is_stored()
    {
        using var client = await ApiAsAsync("senior");
        var before = await WithDb(db => db.Applications.CountAsync());
        var bad = await PostAsync(client, new { form = "jumin-hyo", data = new { scope = "everyone", copies = 99, purpose = "work" } }, null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var errors = bad.Body.GetProperty("errors");
        Assert.Contains("1から10", errors.GetProperty("data.copies")[0].GetString());
        Assert.Contains("選んでください", errors.GetProperty("data.scope")[0].GetString());

        var unknown = await PostAsync(client, new { form = "no-such-form", data = new { } }, null);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.True(unknown.Body.GetProperty("errors").TryGetProperty("form", out _));

        // The claimant must live with the children: the rule is checked before anything is filed.
        var ineligible = await PostAsync(client, new
        {
            form = "jido-teate",
            data = new
            {
                lives_with_children = "no", has_spouse = "no", insurance = "kokuho",
                children = new[] { new { name = "伊藤 花", kana = "イトウ ハナ", birthdate = "2020-04-01" } },
                bank = new { bank = "0001", branch = "001", type = "futsu", number = "1234567", holder = "イトウ トメ" },
            },
        }, null);
        Assert.Equal(HttpStatusCode.BadRequest, ineligible.Status);
        Assert.Contains("同居", ineligible.Body.GetProperty("errors").GetProperty("eligibility")[0].GetString());
        Assert.Equal(before, await WithDb(db => db.Applications.CountAsync()));

        // A local account cannot file a form that needs the card.
        using var lowClient = await ApiAsAsync("no-card");
        var low = await PostAsync(lowClient, new { form = "ninshin-todoke", data = new { } }, null);
        Assert.Equal(HttpStatusCode.Forbidden, low.Status);
    }

    [Fact]
    public async Task An_application_is_visible_to_its_owner_only_and_looks_missing_to_anyone_else()
    {
        using var owner = await ApiAsAsync("bereaved");
        var created = await PostAsync(owner, JuminHyo(1), null);
        var id = created.Body.GetProperty("id").GetString();
        using (var mine = await owner.GetAsync($"/api/v1/applications/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        }
        using var stranger = await ApiAsAsync("single-adult");
        using var theirs = await stranger.GetAsync($"/api/v1/applications/{id}", Ct);
        using var missing = await stranger.GetAsync($"/api/v1/applications/{Guid.CreateVersion7()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(missing.StatusCode, theirs.StatusCode);
        Assert.Equal(missing.Content.Headers.ContentType?.MediaType, theirs.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(id!, await theirs.Content.ReadAsStringAsync(Ct));
        using var anonymous = App.Api();
        using var none = await anonymous.GetAsync($"/api/v1/applications/{id}", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    /// <summary>Waits for the application to reach a status, as the webhook moves it without the resident.</summary>
    private async Task<Application> WaitForStatusAsync(Guid id, string status)
    {
        for (var i = 0; i < 150; i++)
        {
            var application = await WithDb(db => db.Applications.AsNoTracking().Include(a => a.Events).SingleAsync(a => a.Id == id));
            if (application.Status == status) return application;
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException($"Application {id} did not become {status}.");
    }

    [Fact]
    public async Task A_paid_mail_request_ends_submitted_and_paid_even_when_the_tab_is_closed_before_returning()
    {
        using var client = await ApiAsAsync("moving-family");
        var created = await PostAsync(client, JuminHyo(2), null);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("payment-pending", created.Body.GetProperty("status").GetString());
        Assert.Equal(600, created.Body.GetProperty("feeYen").GetInt32());
        var id = Guid.Parse(created.Body.GetProperty("id").GetString()!);
        var next = created.Body.GetProperty("payment").GetProperty("nextUrl").GetString()!;

        // The resident pays on the provider's page and closes the tab: the return address is never visited.
        using var browser = App.Browser();
        var card = await browser.GetAsync(next);
        Assert.Contains("600", card.Text);
        var pay = await browser.SubmitAsync(card, "main form", new Dictionary<string, string> { ["Card"] = "4242 4242 4242 4242" }, maxRedirects: 0);
        Assert.Equal(HttpStatusCode.Redirect, pay.Status);
        Assert.EndsWith($"/applications/{id}/paid", pay.Response.Headers.Location!.ToString());

        var received = await WaitForStatusAsync(id, ApplicationStatus.Received);
        Assert.Equal(["draft", "payment-pending", "received"], received.Events.OrderBy(e => e.At).Select(e => e.Status));
        Assert.Equal("provider", received.Events.Single(e => e.Status == "received").Actor);
        var payment = await WithDb(db => db.Payments.SingleAsync(p => p.ApplicationId == id));
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);

        // The provider sends every webhook twice: still one payment applied, one "received" step.
        for (var i = 0; i < 150 && !await WithDb(db => db.LocalProviderEvents.AnyAsync(e => e.PaymentId == payment.ProviderPaymentId && e.DeliveredAt != null && e.Attempts >= 2)); i++)
        {
            await Task.Delay(100, Ct);
        }
        Assert.True(await WithDb(db => db.LocalProviderEvents.AnyAsync(e => e.PaymentId == payment.ProviderPaymentId && e.DeliveredAt != null && e.Attempts >= 2)));
        received = await WaitForStatusAsync(id, ApplicationStatus.Received);
        Assert.Single(received.Events, e => e.Status == "received");
        Assert.Single(await WithDb(db => db.LocalProviderPayments.Where(p => p.IdempotencyKey == payment.IdempotencyKey).ToListAsync()));

        // Paid, the resident can print a receipt; nobody else can, and nobody gets one before paying.
        using var resident = await SignInWithDemoProviderAsync("moving-family");
        var detail = await resident.GetAsync($"/applications/{id}");
        var receipt = await resident.GetAsync(detail.Document.QuerySelector("#receipt-link")!.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, receipt.Status);
        Assert.Equal("領収書", receipt.Document.QuerySelector("h1")!.TextContent);
        Assert.Equal("600円", receipt.Document.QuerySelector("#receipt-amount")!.TextContent);
        Assert.Equal(created.Body.GetProperty("reference").GetString(), receipt.Document.QuerySelector("#receipt-reference")!.TextContent);
        var name = await WithDb(db => db.Residents.Where(r => r.Id == received.ResidentId).Select(r => r.Name).SingleAsync());
        Assert.Equal($"{name} 様", receipt.Document.QuerySelector("#receipt-name")!.TextContent);
        Assert.Contains("住民票", receipt.Text, StringComparison.Ordinal);
        using var other = await SignInWithDemoProviderAsync("single-adult");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/applications/{id}/receipt")).Status);
        var unpaid = await PostAsync(client, JuminHyo(1), null);
        var unpaidId = unpaid.Body.GetProperty("id").GetString();
        Assert.Null((await resident.GetAsync($"/applications/{unpaidId}")).Document.QuerySelector("#receipt-link"));
        Assert.Equal(HttpStatusCode.NotFound, (await resident.GetAsync($"/applications/{unpaidId}/receipt")).Status);
    }

    [Fact]
    public async Task A_declined_card_puts_the_application_back_to_draft_and_a_challenge_can_be_passed()
    {
        using var browser = await SignInWithDemoProviderAsync("single-adult");
        var page = await StartAsync(browser, "jumin-hyo-chuo");
        var id = IdOf(page);
        page = await browser.SubmitAsync(page, "main form", Next());
        page = await browser.SubmitAsync(page, "main form", Next(("f.scope", "household"), ("f.copies", "１"), ("f.purpose", "license")));
        Assert.EndsWith("/check", page.Url.AbsolutePath);
        Assert.Contains("300円を支払って申請する", page.Text);

        var provider = await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Declaration"] = "yes" });
        Assert.StartsWith("/local-pay/pay/", provider.Url.AbsolutePath);
        var back = await browser.SubmitAsync(provider, "main form", new Dictionary<string, string> { ["Card"] = "4000000000000002" });
        Assert.Equal($"/applications/{id}", back.Url.AbsolutePath);
        await WaitForStatusAsync(id, ApplicationStatus.Draft);
        var draft = await browser.GetAsync($"/applications/{id}");
        Assert.Contains("お支払いが完了しなかった", draft.Text);

        // Again, with the card that asks for a one-time code.
        var check = await browser.GetAsync($"/applications/{id}/check");
        provider = await browser.SubmitAsync(check, "main form", new Dictionary<string, string> { ["Declaration"] = "yes" });
        var challenge = await browser.SubmitAsync(provider, "main form", new Dictionary<string, string> { ["Card"] = "4000 0000 0000 3220" });
        Assert.Contains("認証コード", challenge.Text);
        var done = await browser.SubmitAsync(challenge, "main form", new Dictionary<string, string> { ["Code"] = "123456" });
        Assert.Equal($"/applications/{id}", done.Url.AbsolutePath);
        // Coming back, the page asked the provider itself: received at once.
        Assert.Equal("受付済み", done.Document.QuerySelector("#status")!.TextContent.Trim());
        var payments = await WithDb(db => db.Payments.Where(p => p.ApplicationId == id).OrderBy(p => p.CreatedAt).Select(p => p.Status).ToListAsync());
        Assert.Equal([PaymentStatus.Failed, PaymentStatus.Succeeded], payments);
    }

    private static string Sign(string body) => Madoguchi.Web.Features.Payments.LocalProvider.LocalBank.Sign(Madoguchi.Web.Features.Payments.LocalProvider.LocalBank.DemoWebhookSecret, body);

    [Fact]
    public async Task Webhooks_need_a_valid_signature_and_late_or_repeated_events_never_undo_a_payment()
    {
        using var client = await ApiAsAsync("expecting-couple");
        var created = await PostAsync(client, JuminHyo(1), null);
        var id = Guid.Parse(created.Body.GetProperty("id").GetString()!);
        var payment = await WithDb(db => db.Payments.SingleAsync(p => p.ApplicationId == id));
        string Message(string eventId, string status, string? code = null, int refunded = 0) => new JsonObject
        {
            ["webhook_message_id"] = eventId,
            ["event_type"] = "card_payment_" + status,
            ["resource_id"] = payment.ProviderPaymentId,
            ["resource"] = new JsonObject
            {
                ["payment_id"] = payment.ProviderPaymentId,
                ["amount"] = 300,
                ["state"] = new JsonObject { ["status"] = status, ["finished"] = status != "started", ["code"] = code },
                ["refund_summary"] = new JsonObject { ["amount_refunded"] = refunded },
            },
        }.ToJsonString();
        async Task<HttpStatusCode> DeliverAsync(string body, string? signature)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/webhooks/local") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            if (signature is not null) request.Headers.Add("Pay-Signature", signature);
            using var response = await App.Api().SendAsync(request, Ct);
            return response.StatusCode;
        }

        var success = Message("ev_test_success_" + id, "success");
        Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(success, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(success, Sign(success + " ")));
        Assert.Equal(ApplicationStatus.PaymentPending, (await WithDb(db => db.Applications.SingleAsync(a => a.Id == id))).Status);

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(success, Sign(success)));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(success, Sign(success)));
        // Older news arriving late: the payment stays paid.
        var late = Message("ev_test_started_" + id, "started");
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(late, Sign(late)));
        var failed = Message("ev_test_failed_" + id, "failed", "P0010");
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(failed, Sign(failed)));
        var refund = Message("ev_test_refund_" + id, "success", refunded: 300);
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(refund, Sign(refund)));

        var application = await WithDb(db => db.Applications.Include(a => a.Events).SingleAsync(a => a.Id == id));
        Assert.Equal(ApplicationStatus.Received, application.Status);
        Assert.Single(application.Events, e => e.Status == ApplicationStatus.Received);
        var stored = await WithDb(db => db.Payments.SingleAsync(p => p.Id == payment.Id));
        Assert.Equal(PaymentStatus.Succeeded, stored.Status);
        Assert.Equal(300, stored.RefundedYen);
    }

    private static async Task<Browser.Page> UploadAsync(Browser browser, Browser.Page page, string field, string fileName, byte[] content, string declaredType)
    {
        using var form = new MultipartFormDataContent();
        foreach (var input in page.Document.QuerySelectorAll<IHtmlInputElement>("main form input[name]").Where(i => i.Type is not ("file" or "submit") && (i.Type is not ("radio" or "checkbox") || i.IsChecked)))
        {
            form.Add(new StringContent(input.Value), input.Name!);
        }
        foreach (var select in page.Document.QuerySelectorAll<IHtmlSelectElement>("main form select[name]"))
        {
            form.Add(new StringContent(select.Value ?? ""), select.Name!);
        }
        form.Add(new StringContent("next"), "action");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
        form.Add(file, field, fileName);
        using var response = await browser.Http.PostAsync(page.Url, form, Ct);
        var location = response.Headers.Location;
        return location is null
            ? new Browser.Page(response.StatusCode, page.Url, new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(Ct)), response, "")
            : await browser.GetAsync(new Uri(page.Url, location).ToString());
    }

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    [Fact]
    public async Task Attachments_are_checked_by_content_and_size_and_only_ever_downloaded_by_their_owner()
    {
        using var browser = await SignInWithDemoProviderAsync("newborn-parent");
        var page = await StartAsync(browser, "kodomo-iryo-minami");
        var id = IdOf(page);
        page = await browser.SubmitAsync(page, "main form", Next());
        Assert.EndsWith("/edit/child", page.Url.AbsolutePath);
        // The baby is pre-filled as 「お子さん」.
        Assert.Equal("田中 ひなた", Value(page, "f-child-name"));
        page = await browser.SubmitAsync(page, "main form", Next(("f.insurance", "kokuho")));
        Assert.EndsWith("/check", page.Url.AbsolutePath);
        page = await browser.GetAsync($"/applications/{id}/edit/child");

        // A text file called .pdf is refused for what it is, not for its name.
        var refused = await UploadAsync(browser, page, "f.insurance_card", "card.pdf", "just text"u8.ToArray(), "application/pdf");
        Assert.Contains("PDF・JPEG・PNGのファイルにしてください", refused.Document.Body!.TextContent);
        // Too large: refused with the limit named, not a crash.
        var huge = new byte[10 * 1024 * 1024 + 100];
        Png.CopyTo(huge, 0);
        refused = await UploadAsync(browser, page, "f.insurance_card", "big.png", huge, "image/png");
        Assert.Contains("10MBまで", refused.Document.Body!.TextContent);

        var accepted = await UploadAsync(browser, page, "f.insurance_card", "../../保険証<script>.png", Png, "text/html");
        Assert.EndsWith("/check", accepted.Url.AbsolutePath);
        Assert.Contains("保険証script.png", accepted.Text);
        var done = await browser.SubmitAsync(accepted, "main form", new Dictionary<string, string> { ["Declaration"] = "yes" });
        var link = done.Document.QuerySelector("a[download]")!.GetAttribute("href")!;

        using var download = await browser.Http.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains("nosniff", download.Headers.GetValues("X-Content-Type-Options"));

        using var stranger = await SignInWithDemoProviderAsync("senior");
        using var theirs = await stranger.Http.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        var viewed = await stranger.GetAsync($"/applications/{id}");
        Assert.Equal(HttpStatusCode.NotFound, viewed.Status);
    }

    [Fact]
    public async Task A_double_clicked_submit_files_once_and_a_submitted_application_can_be_withdrawn_before_review()
    {
        using var browser = await SignInWithDemoProviderAsync("senior");
        var page = await StartAsync(browser, "inu-henko-higashi");
        var id = IdOf(page);
        page = await browser.SubmitAsync(page, "main form", Next());
        page = await browser.SubmitAsync(page, "main form", Next(("f.dog_name", "ポチ"), ("f.tag", "緑第123号"), ("f.change", "address"), ("f.change_date.era", "reiwa"), ("f.change_date.year", "8"), ("f.change_date.month", "11"), ("f.change_date.day", "1")));
        Assert.EndsWith("/check", page.Url.AbsolutePath);
        // 令和8年11月1日 is understood as 2026-11-01.
        Assert.Contains("2026-11-01（令和8年11月1日）", page.Text);

        var clicks = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Declaration"] = "yes" })));
        Assert.All(clicks, c => Assert.Equal($"/applications/{id}", c.Url.AbsolutePath));
        var stored = await WithDb(db => db.Applications.Include(a => a.Events).SingleAsync(a => a.Id == id));
        Assert.Single(stored.Events, e => e.Status == ApplicationStatus.Received);

        var detail = await browser.GetAsync($"/applications/{id}");
        var withdrawn = await browser.SubmitAsync(detail, "form[action$='Withdraw']");
        Assert.Equal("取り下げ", withdrawn.Document.QuerySelector("#status")!.TextContent.Trim());
        Assert.Null(withdrawn.Document.QuerySelector("form[action$='Withdraw']"));
        // Nothing can be edited any more.
        var edit = await browser.GetAsync($"/applications/{id}/edit");
        Assert.Equal($"/applications/{id}", edit.Url.AbsolutePath);
    }

    [Fact]
    public async Task Rows_of_a_repeating_group_are_added_and_removed_without_losing_what_was_typed()
    {
        using var browser = await SignInWithDemoProviderAsync("moving-family");
        var page = await StartAsync(browser, "kokuho-kanyu-chuo");
        page = await browser.SubmitAsync(page, "main form", Next());
        page = await browser.SubmitAsync(page, "main form", Next(("f.reason", "moved-in"), ("f.change_date.year", "2026"), ("f.change_date.month", "11"), ("f.change_date.day", "20")));
        Assert.EndsWith("/edit/members", page.Url.AbsolutePath);
        Assert.Equal("高橋 由美", Value(page, "f-members-0-name"));
        Assert.Equal(3, page.Document.QuerySelectorAll("fieldset.row").Length);

        page = await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["action"] = "add:f.members", ["f.members.1.kana"] = "たかはし れん" });
        Assert.Equal(4, page.Document.QuerySelectorAll("fieldset.row").Length);
        Assert.Equal("たかはし れん", Value(page, "f-members-1-kana"));
        // Removing the first row; the blank row left empty is dropped on the way.
        page = await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["action"] = "remove:f.members:0" });
        Assert.Equal(2, page.Document.QuerySelectorAll("fieldset.row").Length);
        Assert.Equal("高橋 蓮", Value(page, "f-members-0-name"));
        Assert.Equal("たかはし れん", Value(page, "f-members-0-kana"));
        page = await browser.SubmitAsync(page, "main form", Next(("f.members.2.name", "高橋 直樹"), ("f.members.2.kana", "タカハシ ナオキ"), ("f.members.2.birthdate.year", "1986"), ("f.members.2.birthdate.month", "8"), ("f.members.2.birthdate.day", "8")));
        Assert.EndsWith("/check", page.Url.AbsolutePath);
        Assert.Contains("高橋 直樹", page.Text);
    }

    [Fact]
    public async Task An_application_sent_back_for_correction_is_corrected_by_the_resident_and_filed_again()
    {
        using var browser = await SignInWithDemoProviderAsync("expecting-couple");
        var page = await StartAsync(browser, "inu-henko-kita");
        var id = IdOf(page);
        page = await browser.SubmitAsync(page, "main form", Next());
        page = await browser.SubmitAsync(page, "main form", Next(("f.dog_name", "コロ"), ("f.tag", "緑第9号"), ("f.change", "owner"), ("f.change_date.year", "2026"), ("f.change_date.month", "11"), ("f.change_date.day", "2")));
        await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Declaration"] = "yes" });

        // The processing center, which handles dog registrations for every ward, sends it back.
        const string Note = "鑑札番号が確認できません。鑑札に書かれた番号を入力してください。";
        using (var staff = App.Api())
        {
            staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(staff, new { staff = "center" }));
            using var returned = await staff.PostAsJsonAsync($"/api/v1/staff/cases/{id}/transitions", new { to = "returned", comment = Note }, Ct);
            Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        }
        var reference = await WithDb(db => db.Applications.Where(a => a.Id == id).Select(a => a.Reference).SingleAsync());
        var mail = await Mailbox.WaitForAsync(App.MailFolder, m => m.Subject?.Contains("修正依頼", StringComparison.Ordinal) == true && m.Subject.Contains(reference, StringComparison.Ordinal));
        Assert.Contains(Note, mail.TextBody);

        var detail = await browser.GetAsync($"/applications/{id}");
        Assert.Equal("修正依頼", detail.Document.QuerySelector("#status")!.TextContent.Trim());
        Assert.Contains(Note, detail.Document.QuerySelector("#return-note")!.TextContent);
        Assert.Null(detail.Document.QuerySelector("form[action$='Discard']"));
        var dog = await browser.GetAsync($"/applications/{id}/edit/dog");
        Assert.Contains(Note, dog.Text);
        var check = await browser.SubmitAsync(dog, "main form", Next(("f.tag", "緑第1009号")));
        var filed = await browser.SubmitAsync(check, "main form", new Dictionary<string, string> { ["Declaration"] = "yes" });
        Assert.Equal("修正済み", filed.Document.QuerySelector("#status")!.TextContent.Trim());
        var stored = await WithDb(db => db.Applications.Include(a => a.Events).SingleAsync(a => a.Id == id));
        Assert.Equal(["draft", "received", "returned", "corrected"], stored.Events.OrderBy(e => e.At).Select(e => e.Status));
        Assert.Equal("緑第1009号", JsonNode.Parse(stored.Data)!["tag"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_untouched_draft_is_announced_then_expires_and_its_answers_go()
    {
        using var browser = await SignInWithDemoProviderAsync("foreign-resident");
        var page = await StartAsync(browser, "shussei-tsuchi-nishi");
        var id = IdOf(page);
        await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["action"] = "save", ["f.weight"] = "3000" });
        await WithDb(db => db.Applications.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.DraftExpiresAt, DateTime.UtcNow.AddDays(2))));
        await App.Service<IEnumerable<Microsoft.Extensions.Hosting.IHostedService>>().OfType<DraftSweeper>().Single().RunOnceAsync(Ct);
        var reference = await WithDb(db => db.Applications.Where(a => a.Id == id).Select(a => a.Reference).SingleAsync());
        var notice = await Mailbox.WaitForAsync(App.MailFolder, m => m.Subject?.Contains(reference, StringComparison.Ordinal) == true);
        Assert.Contains("まもなく削除", notice.Subject);

        await WithDb(db => db.Applications.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.DraftExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        await App.Service<IEnumerable<Microsoft.Extensions.Hosting.IHostedService>>().OfType<DraftSweeper>().Single().RunOnceAsync(Ct);
        var expired = await WithDb(db => db.Applications.SingleAsync(a => a.Id == id));
        Assert.Equal(ApplicationStatus.Expired, expired.Status);
        Assert.Equal("{}", expired.Data);
    }

    [Fact]
    public async Task A_birth_plan_files_its_online_procedures_together_asking_shared_questions_once()
    {
        using var browser = await SignInWithDemoProviderAsync("newborn-parent");
        var plan = await browser.GetAsync("/guide/birth/plan?eventDate=2026-11-10&ward=minami&bornAbroad=no&insurance=employer&childAllowance=new&lowBirthWeight=no&singleParent=no");
        Assert.Equal(HttpStatusCode.OK, plan.Status);
        var offered = plan.Document.QuerySelectorAll("#bundle-start input[name=procedures]").Select(i => i.GetAttribute("value")).ToList();
        Assert.Equal(["jido-teate-minami", "kodomo-iryo-minami", "shussei-tsuchi-minami"], offered.Order(StringComparer.Ordinal));

        var page = await browser.SubmitAsync(plan, "#bundle-start");
        Assert.StartsWith("/applications/bundle/", page.Url.AbsolutePath);
        var bundleId = Guid.Parse(page.Url.AbsolutePath.Split('/')[3]);
        // The phone and the insurance are asked once for all, not per procedure.
        Assert.Single(page.Document.QuerySelectorAll("input[name='f.shared.phone']"));
        Assert.Single(page.Document.QuerySelectorAll("input[name='f.shared.insurance']"), i => i.GetAttribute("value") == "shaho");
        Assert.DoesNotContain(page.Document.QuerySelectorAll("input[name$='.insurance']"), i => !i.GetAttribute("name")!.StartsWith("f.shared.", StringComparison.Ordinal));

        page = await browser.SubmitAsync(page, "main form", Next(
            ("f.shared.insurance", "shaho"), ("f.shared.has_spouse", "yes"),
            ("f.0.lives_with_children", "yes"),
            ("f.shared.bank.bank", "0005"), ("f.shared.bank.branch", "123"), ("f.shared.bank.number", "7654321"), ("f.shared.bank.holder", "タナカ サクラ"),
            ("f.2.weight", "3120"), ("f.2.weeks", "39"), ("f.2.visit_time", "am")));
        // Saying there is a spouse asks the spouse's income on the same page.
        page = await browser.SubmitAsync(page, "main form", Next(("f.0.higher_income", "yes")));
        Assert.Contains("check=true", page.Url.Query);
        Assert.Contains("3件をまとめて申請する", page.Text);
        var done = await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Declaration"] = "yes" });
        Assert.Equal("/applications", done.Url.AbsolutePath);
        Assert.Contains("まとめて申請を受け付けました", done.Text);

        var filed = await WithDb(db => db.Applications.Where(a => a.BundleId == bundleId).ToListAsync());
        Assert.Equal(3, filed.Count);
        Assert.All(filed, a => Assert.Equal(ApplicationStatus.Received, a.Status));
        // The shared answers went into each application that asks them.
        var allowance = JsonNode.Parse(filed.Single(a => a.ProcedureCode == "jido-teate").Data)!;
        var medical = JsonNode.Parse(filed.Single(a => a.ProcedureCode == "kodomo-iryo").Data)!;
        Assert.Equal("shaho", allowance["insurance"]!.GetValue<string>());
        Assert.Equal("shaho", medical["insurance"]!.GetValue<string>());
        Assert.Equal("7654321", allowance["bank"]!["number"]!.GetValue<string>());
        Assert.Equal("090-1111-0004", JsonNode.Parse(filed.Single(a => a.ProcedureCode == "shussei-tsuchi").Data)!["phone"]!.GetValue<string>());
    }

    /// <summary>The name of the input for a question of whichever part asks it ("f.1.reason").</summary>
    private static string NameOf(Browser.Page page, string key) =>
        page.Document.QuerySelectorAll("main form [name]").Select(e => e.GetAttribute("name")!)
            .First(n => System.Text.RegularExpressions.Regex.IsMatch(n, $@"^f\.(\d+|shared)\.{System.Text.RegularExpressions.Regex.Escape(key)}$"));

    [Fact]
    public async Task A_clerk_serves_a_family_moving_in_and_one_interview_fills_every_form()
    {
        var clerk = await StaffSessionAsync("clerk");
        var card = await clerk.GetAsync("/staff/intake?card=moving-family");
        Assert.Contains("高橋 直樹", card.Document.QuerySelector("#resident")!.TextContent);
        var residentId = card.Document.QuerySelector("input[name=residentId]")!.GetAttribute("value");
        var interview = await clerk.GetAsync($"/staff/intake?residentId={residentId}&eventId=moving-in");
        var form = await clerk.SubmitAsync(interview, "main form", new Dictionary<string, string>
        {
            ["EventDate"] = "2026-11-20", ["q.insurance"] = "kokuho", ["q.children"] = "both", ["q.dog"] = "no", ["q.withCard"] = "yes",
        });
        Assert.Matches("^/staff/intake/[0-9a-f-]{36}$", form.Url.AbsolutePath);
        var bundleId = Guid.Parse(form.Url.AbsolutePath.Split('/')[3]);
        // The interview's answer to the insurance question is already in the forms that ask it.
        Assert.Contains(form.Document.QuerySelectorAll<IHtmlInputElement>("input[name='f.shared.insurance']"), i => i.Value == "kokuho" && i.IsChecked);

        var changeDate = NameOf(form, "change_date.year")[..^".year".Length];
        form = await clerk.SubmitAsync(form, "main form", new Dictionary<string, string>
        {
            [NameOf(form, "reason")] = "moved-in",
            [changeDate + ".year"] = "2026", [changeDate + ".month"] = "11", [changeDate + ".day"] = "20",
            [NameOf(form, "lives_with_children")] = "yes",
            ["f.shared.has_spouse"] = "yes",
            ["f.shared.bank.bank"] = "0009", ["f.shared.bank.branch"] = "050", ["f.shared.bank.number"] = "1112223", ["f.shared.bank.holder"] = "タカハシ ナオキ",
        });
        Assert.Equal($"/staff/intake/{bundleId}", form.Url.AbsolutePath);
        var confirm = await clerk.SubmitAsync(form, "main form", new Dictionary<string, string> { [NameOf(form, "higher_income")] = "yes" });
        Assert.Contains("confirm=true", confirm.Url.Query);
        Assert.Contains("高橋 蓮", confirm.Text);

        var unsigned = await clerk.SubmitAsync(confirm, "main form");
        Assert.Contains("署名をいただくか", unsigned.Text);
        var done = await clerk.SubmitAsync(confirm, "main form", new Dictionary<string, string> { ["SignedOnPaper"] = "true" });
        Assert.Contains("窓口で受け付けました", done.Text);

        var filed = await WithDb(db => db.Applications.Include(a => a.Events).Where(a => a.BundleId == bundleId).ToListAsync());
        Assert.Equal(["jido-teate", "kodomo-iryo", "kokuho-kanyu"], filed.Select(a => a.ProcedureCode).Order(StringComparer.Ordinal));
        Assert.All(filed, a =>
        {
            Assert.Equal(ApplicationStatus.Received, a.Status);
            Assert.Equal(ApplicationChannel.Counter, a.Channel);
            Assert.StartsWith("staff:", a.Events.Single(e => e.Status == ApplicationStatus.Received).Actor, StringComparison.Ordinal);
        });
        Assert.Equal("kokuho", JsonNode.Parse(filed.Single(a => a.ProcedureCode == "kodomo-iryo").Data)!["insurance"]!.GetValue<string>());
        Assert.Equal(3, JsonNode.Parse(filed.Single(a => a.ProcedureCode == "kokuho-kanyu").Data)!["members"]!.AsArray().Count);
        // Reading the card opened the resident's data: that is in the audit log.
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == "resident.read" && e.Subject == $"resident:{residentId}")));
        // The family sees them in their own list.
        using var resident = await SignInWithDemoProviderAsync("moving-family");
        var mine = await resident.GetAsync("/applications");
        Assert.All(filed, a => Assert.Contains(a.Reference, mine.Text));
    }
}

public sealed class ApplicationsTests_Sqlite(SqliteApp app) : ApplicationsTests<SqliteApp>(app);

public sealed class ApplicationsTests_Postgres(PostgresApp app) : ApplicationsTests<PostgresApp>(app);
