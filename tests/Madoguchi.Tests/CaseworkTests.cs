using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Madoguchi.Tests;

/// <summary>The back office through its API: inboxes and scopes, transitions, the approval route, notices and the KPI figures.</summary>
public abstract class CaseworkTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private async Task<HttpClient> AsAsync(object who, MadoguchiApp? on = null)
    {
        var client = (on ?? App).Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(client, who));
        return client;
    }

    /// <summary>A children's medical subsidy (子ども・家庭課), filed by the newborn's parent through the API.</summary>
    private async Task<Guid> FileKodomoIryoAsync(string language = "ja")
    {
        using var resident = await AsAsync(new { persona = "newborn-parent" });
        resident.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        using var response = await resident.PostAsJsonAsync("/api/v1/applications", new { form = "kodomo-iryo", data = new { insurance = "kokuho" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Task<HttpResponseMessage> MoveAsync(HttpClient client, Guid id, object body) =>
        client.PostAsJsonAsync($"/api/v1/staff/cases/{id}/transitions", body, Ct);

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, Guid step, object body) =>
        client.PostAsJsonAsync($"/api/v1/staff/approvals/{step}/decision", body, Ct);

    private static async Task<List<Guid>> AwaitingAsync(HttpClient approver)
    {
        var list = await JsonAsync(await approver.GetAsync("/api/v1/staff/cases?status=awaiting", Ct), HttpStatusCode.OK);
        return [.. list.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetGuid())];
    }

    private static Guid StepId(JsonElement decision, int index) => decision.GetProperty("steps")[index].GetProperty("id").GetGuid();

    [Fact]
    public async Task Delegated_authority_ends_a_routine_approval_at_the_chief_while_a_refusal_still_goes_to_the_manager()
    {
        using var resident = await AsAsync(new { persona = "single-adult" });
        async Task<Guid> FileDogAsync()
        {
            using var filed = await resident.PostAsJsonAsync("/api/v1/applications", new { form = "inu-henko", data = new { dog_name = "ポチ", tag = "緑第1号", change = new[] { "owner" }, change_date = "2026-11-02" } }, Ct);
            return (await JsonAsync(filed, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }
        var (granted, refused) = (await FileDogAsync(), await FileDogAsync());
        // The processing center works dog registrations; their decisions are 保健福祉課's.
        using var center = await AsAsync(new { staff = "center" });
        using var chief = await AsAsync(new { staff = "hoken-kakaricho" });
        using var manager = await AsAsync(new { staff = "hoken-kacho" });
        foreach (var id in new[] { granted, refused }) await JsonAsync(await MoveAsync(center, id, new { to = "in-review" }), HttpStatusCode.OK);

        // Route "routine": 係長 decides alone (専決) when the outcome is to approve.
        var decision = (await JsonAsync(await MoveAsync(center, granted, new { to = "decision-proposed", outcome = "approve", comment = "登録事項を変更します。" }), HttpStatusCode.OK)).GetProperty("decision");
        Assert.Equal("routine", decision.GetProperty("route").GetString());
        Assert.Equal(["hoken", "hoken"], decision.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("department").GetString()));
        Assert.Contains(granted, await AwaitingAsync(chief));
        Assert.DoesNotContain(granted, await AwaitingAsync(manager));
        var done = await JsonAsync(await DecideAsync(chief, StepId(decision, 0), new { decision = "approve" }), HttpStatusCode.OK);
        Assert.Equal("approved", done.GetProperty("status").GetString());
        Assert.True(done.GetProperty("steps")[0].GetProperty("delegated").GetBoolean());
        Assert.Equal("skipped", done.GetProperty("steps")[1].GetProperty("status").GetString());
        Assert.Matches(@"^指令第\d{4}-\d{6}号$", done.GetProperty("noticeNumber").GetString());
        Assert.Equal(ApplicationStatus.Approved, await WithDb(db => db.Applications.Where(a => a.Id == granted).Select(a => a.Status).SingleAsync()));
        Assert.DoesNotContain(granted, await AwaitingAsync(chief));

        // A refusal is outside the delegation: after the 係長, the 課長 decides.
        decision = (await JsonAsync(await MoveAsync(center, refused, new { to = "decision-proposed", outcome = "reject", comment = "鑑札番号が登録と一致しません。" }), HttpStatusCode.OK)).GetProperty("decision");
        var afterChief = await JsonAsync(await DecideAsync(chief, StepId(decision, 0), new { decision = "approve" }), HttpStatusCode.OK);
        Assert.Equal("pending", afterChief.GetProperty("status").GetString());
        Assert.False(afterChief.GetProperty("steps")[0].GetProperty("delegated").GetBoolean());
        Assert.Contains(refused, await AwaitingAsync(manager));
        Assert.DoesNotContain(refused, await AwaitingAsync(chief));
        await JsonAsync(await DecideAsync(manager, StepId(decision, 1), new { decision = "approve" }), HttpStatusCode.OK);
        Assert.Equal(ApplicationStatus.Rejected, await WithDb(db => db.Applications.Where(a => a.Id == refused).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task A_consulted_manager_of_another_department_opens_the_case_only_to_decide_their_parallel_step()
    {
        // A 葬祭費 claim of 国保年金課 (filed on the web, with its receipt), in review.
        var form = await WithDb(db => db.CatalogDocuments.Where(d => d.Kind == Madoguchi.Web.Features.Catalog.CatalogDocument.Form && d.Key == "sosaihi").MaxAsync(d => d.Version));
        var now = DateTime.UtcNow;
        var application = new Application
        {
            Reference = Application.NewReference(), FormSlug = "sosaihi", FormVersion = form, ProcedureSlug = "sosaihi-chuo", ProcedureCode = "sosaihi",
            Department = "kokuho", Office = "chuo", Status = ApplicationStatus.InReview, Data = """{"relationship":"長男","funeral_date":"2026-11-10"}""",
            CreatedAt = now, UpdatedAt = now, SubmittedAt = now, DueOn = DateOnly.FromDateTime(now).AddDays(20),
        };
        await WithDb(db => { db.Applications.Add(application); return db.SaveChangesAsync(); });
        var id = application.Id;
        using var caseworker = await AsAsync(new { staff = "kokuho" });
        using var chief = await AsAsync(new { staff = "kokuho-kakaricho" });
        using var manager = await AsAsync(new { staff = "kokuho-kacho" });
        // 課長 of 市民課 (and 子ども・家庭課): not this department's case.
        using var shimin = await AsAsync(new { staff = "kacho" });
        Assert.Equal(HttpStatusCode.NotFound, (await shimin.GetAsync($"/api/v1/staff/cases/{id}", Ct)).StatusCode);

        // A refusal goes past the 係長's delegation to the 課長 and, in parallel, the 市民課長 (合議).
        var decision = (await JsonAsync(await MoveAsync(caseworker, id, new { to = "decision-proposed", outcome = "reject", comment = "国民健康保険の加入が確認できません。" }), HttpStatusCode.OK)).GetProperty("decision");
        Assert.Equal(["係長", "課長", "合議：市民課長"], decision.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("label").GetString()));
        Assert.Equal("shimin", decision.GetProperty("steps")[2].GetProperty("department").GetString());
        var consult = StepId(decision, 2);

        // Now the 市民課長 opens the case, but changes nothing in it and cannot go ahead of the 係長.
        Assert.Equal(HttpStatusCode.OK, (await shimin.GetAsync($"/api/v1/staff/cases/{id}", Ct)).StatusCode);
        Assert.DoesNotContain(id, await AwaitingAsync(shimin));
        await JsonAsync(await DecideAsync(shimin, consult, new { decision = "approve" }), HttpStatusCode.Conflict);
        await JsonAsync(await MoveAsync(shimin, id, new { to = "returned", comment = "x" }), HttpStatusCode.Forbidden);
        var kacho = await StaffSessionAsync("kacho");
        var page = await kacho.GetAsync($"/staff/cases/{id}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Null(page.Document.QuerySelector("#assign"));
        Assert.Null(page.Document.QuerySelector("form[action$='/Note']"));
        Assert.Null(page.Document.QuerySelector("#return"));

        var afterChief = await JsonAsync(await DecideAsync(chief, StepId(decision, 0), new { decision = "approve" }), HttpStatusCode.OK);
        Assert.False(afterChief.GetProperty("steps")[0].GetProperty("delegated").GetBoolean());
        Assert.Contains(id, await AwaitingAsync(shimin));
        Assert.Contains(id, await AwaitingAsync(manager));
        // Their list of cases awaiting them has it; the consulted step is decided on the case page, like any other.
        var awaiting = await kacho.GetAsync("/staff/cases?status=awaiting");
        Assert.Contains(application.Reference, awaiting.Document.QuerySelector("#cases")!.TextContent);
        page = await kacho.GetAsync($"/staff/cases/{id}");
        page = await kacho.SubmitAsync(page, "form[action$='/Decide']", new Dictionary<string, string> { ["decision"] = "approve", ["comment"] = "市民課として異議なし" });
        Assert.NotNull(page.Document.QuerySelector("#case-done"));
        var steps = await WithDb(db => db.ApprovalSteps.Where(s => s.Id == consult).Select(s => new { s.Status, s.Comment }).SingleAsync());
        Assert.Equal(("approved", "市民課として異議なし"), (steps.Status, steps.Comment));
        // Both parallel steps are needed: the case waits for the 国保年金課長.
        Assert.Equal(ApplicationStatus.DecisionProposed, await WithDb(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        var final = await JsonAsync(await DecideAsync(manager, StepId(decision, 1), new { decision = "approve" }), HttpStatusCode.OK);
        Assert.Equal("approved", final.GetProperty("status").GetString());
        Assert.Equal(ApplicationStatus.Rejected, await WithDb(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        // It never joins the 市民課 inbox.
        var list = await JsonAsync(await shimin.GetAsync("/api/v1/staff/cases?status=rejected", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(id, list.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task A_case_goes_from_review_through_two_approvals_to_a_notice_the_resident_downloads()
    {
        var id = await FileKodomoIryoAsync();
        using var caseworker = await AsAsync(new { staff = "caseworker" });
        using var kakaricho = await AsAsync(new { staff = "kakaricho" });
        using var kacho = await AsAsync(new { staff = "kacho" });

        // The case is in the department's inbox with its due date: five open days for this procedure.
        var inbox = await JsonAsync(await caseworker.GetAsync("/api/v1/staff/cases?status=received&department=kodomo", Ct), HttpStatusCode.OK);
        var listed = inbox.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == id);
        Assert.Equal("online", listed.GetProperty("channel").GetString());
        var stored = await WithDb(db => db.Applications.SingleAsync(a => a.Id == id));
        Assert.NotNull(stored.DueOn);
        Assert.True(stored.DueOn > DateOnly.FromDateTime(stored.SubmittedAt!.Value.AddHours(9)).AddDays(4));

        await JsonAsync(await MoveAsync(caseworker, id, new { to = "in-review" }), HttpStatusCode.OK);
        // Proposing needs reasons.
        await JsonAsync(await MoveAsync(caseworker, id, new { to = "decision-proposed", outcome = "approve" }), HttpStatusCode.UnprocessableEntity);
        var proposed = await JsonAsync(await MoveAsync(caseworker, id, new { to = "decision-proposed", outcome = "approve", comment = "受給資格を認定します。" }), HttpStatusCode.OK);
        var decision = proposed.GetProperty("decision");
        var hash = decision.GetProperty("documentHash").GetString();
        var steps = decision.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["係長", "課長"], steps.Select(s => s.GetProperty("label").GetString()));
        var (first, second) = (steps[0].GetProperty("id").GetGuid(), steps[1].GetProperty("id").GetGuid());

        // The proposer cannot approve, the 課長 cannot skip ahead, and a decision on an outdated document is refused.
        await JsonAsync(await DecideAsync(caseworker, first, new { decision = "approve" }), HttpStatusCode.Forbidden);
        await JsonAsync(await DecideAsync(kacho, second, new { decision = "approve" }), HttpStatusCode.Conflict);
        await JsonAsync(await DecideAsync(kakaricho, first, new { decision = "approve", documentHash = new string('0', 64) }), HttpStatusCode.Conflict);

        var afterFirst = await JsonAsync(await DecideAsync(kakaricho, first, new { decision = "approve", documentHash = hash }), HttpStatusCode.OK);
        Assert.Equal("approved", afterFirst.GetProperty("steps")[0].GetProperty("status").GetString());
        Assert.Equal(ApplicationStatus.DecisionProposed, await WithDb(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        var final = await JsonAsync(await DecideAsync(kacho, second, new { decision = "approve", documentHash = hash, comment = "承認" }), HttpStatusCode.OK);
        Assert.Equal("approved", final.GetProperty("status").GetString());
        var number = final.GetProperty("noticeNumber").GetString();
        Assert.Matches(@"^指令第\d{4}-\d{6}号$", number);
        // Each step keeps the hash of the document its approver saw.
        Assert.Equal([hash, hash], await WithDb(db => db.ApprovalSteps.Where(x => x.Id == first || x.Id == second).Select(x => x.DocumentHash).ToListAsync()));
        Assert.Equal(ApplicationStatus.Approved, await WithDb(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));

        // The notice is issued: the case completes and the resident downloads it; another resident cannot.
        await JsonAsync(await MoveAsync(caseworker, id, new { to = "completed" }), HttpStatusCode.OK);
        using var owner = await SignInWithDemoProviderAsync("newborn-parent");
        var detail = await owner.GetAsync($"/applications/{id}");
        Assert.Contains(number!, detail.Document.QuerySelector("#notice")!.TextContent);
        var notice = await owner.GetAsync($"/applications/{id}/notice");
        Assert.Equal(number, notice.Document.QuerySelector("#notice-number")!.TextContent.Trim());
        Assert.Equal("田中 さくら", notice.Document.QuerySelector("#notice-name")!.TextContent.Trim());
        Assert.Contains("受給資格を認定します。", notice.Document.QuerySelector("#notice-text")!.TextContent);
        using var stranger = await SignInWithDemoProviderAsync("single-adult");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/applications/{id}/notice", Ct)).StatusCode);

        var events = await WithDb(db => db.ApplicationEvents.Where(e => e.ApplicationId == id).OrderBy(e => e.At).Select(e => e.Status).ToListAsync());
        Assert.Equal(["draft", "received", "in-review", "decision-proposed", "approved", "completed"], events);
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == "approval.approved" && e.Subject == $"application:{id}")));
    }

    [Fact]
    public async Task The_resident_hears_of_each_move_in_the_language_they_applied_in_whoever_moves_the_case()
    {
        var id = await FileKodomoIryoAsync("en");
        var reference = await WithDb(db => db.Applications.Where(a => a.Id == id).Select(a => a.Reference).SingleAsync());
        using var caseworker = await AsAsync(new { staff = "caseworker" });
        caseworker.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ja");
        await JsonAsync(await MoveAsync(caseworker, id, new { to = "in-review" }), HttpStatusCode.OK);
        var mails = await WithDb(db => db.OutboxMessages.Where(m => m.Payload.Contains(reference)).OrderBy(m => m.CreatedAt).Select(m => m.Payload).ToListAsync());
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.Contains("Midori City: your application is", m));
        Assert.Contains("Being reviewed", mails[1]);
        // Back in Japanese: the next move is in Japanese again.
        await FileKodomoIryoAsync("ja");
        await JsonAsync(await MoveAsync(caseworker, id, new { to = "returned", comment = "保険証の写しを添付してください。" }), HttpStatusCode.OK);
        var last = await WithDb(db => db.OutboxMessages.Where(m => m.Payload.Contains(reference)).OrderByDescending(m => m.CreatedAt).Select(m => m.Payload).FirstAsync());
        Assert.DoesNotContain("Midori City", last);
    }

    [Fact]
    public async Task Departments_see_only_their_cases_the_center_its_procedures_and_auditors_only_read()
    {
        var id = await FileKodomoIryoAsync();
        using var resident = await AsAsync(new { persona = "single-adult" });
        using var filed = await resident.PostAsJsonAsync("/api/v1/applications", new { form = "inu-henko", data = new { dog_name = "ポチ", tag = "緑第1号", change = new[] { "owner" }, change_date = "2026-11-02" } }, Ct);
        var dog = (await JsonAsync(filed, HttpStatusCode.Created)).GetProperty("id").GetGuid();

        using var caseworker = await AsAsync(new { staff = "caseworker" });
        using var center = await AsAsync(new { staff = "center" });
        using var auditor = await AsAsync(new { staff = "auditor" });
        using var clerk = await AsAsync(new { staff = "clerk" });

        Assert.Equal(HttpStatusCode.OK, (await caseworker.GetAsync($"/api/v1/staff/cases/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await caseworker.GetAsync($"/api/v1/staff/cases/{dog}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await MoveAsync(caseworker, dog, new { to = "in-review" })).StatusCode);
        var list = await JsonAsync(await caseworker.GetAsync("/api/v1/staff/cases", Ct), HttpStatusCode.OK);
        Assert.All(list.GetProperty("cases").EnumerateArray(), c => Assert.Equal("kodomo", c.GetProperty("department").GetString()));

        // The processing center works dog registrations of every ward (保健福祉課's procedure) but not children's cases.
        Assert.Equal(HttpStatusCode.OK, (await center.GetAsync($"/api/v1/staff/cases/{dog}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await center.GetAsync($"/api/v1/staff/cases/{id}", Ct)).StatusCode);
        await JsonAsync(await MoveAsync(center, dog, new { to = "in-review" }), HttpStatusCode.OK);

        // Auditors read their departments' cases and change nothing; counter clerks have no inbox.
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/staff/cases/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await MoveAsync(auditor, id, new { to = "in-review" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.GetAsync("/api/v1/staff/cases", Ct)).StatusCode);
        Assert.Equal(ApplicationStatus.Received, await WithDb(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        // Opening a case is in the audit log.
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == "case.read" && e.Subject == $"application:{id}")));
    }

    [Fact]
    public async Task A_revised_document_reopens_earlier_approvals_and_an_absent_manager_is_replaced_by_a_recorded_substitute()
    {
        var id = await FileKodomoIryoAsync();
        using var caseworker = await AsAsync(new { staff = "caseworker" });
        using var kakaricho = await AsAsync(new { staff = "kakaricho" });
        using var hosa = await AsAsync(new { staff = "hosa" });
        await JsonAsync(await MoveAsync(caseworker, id, new { to = "in-review" }), HttpStatusCode.OK);
        var decision = (await JsonAsync(await MoveAsync(caseworker, id, new { to = "decision-proposed", outcome = "approve", comment = "認定します。" }), HttpStatusCode.OK)).GetProperty("decision");
        var (first, second) = (decision.GetProperty("steps")[0].GetProperty("id").GetGuid(), decision.GetProperty("steps")[1].GetProperty("id").GetGuid());
        await JsonAsync(await DecideAsync(kakaricho, first, new { decision = "approve" }), HttpStatusCode.OK);

        // The proposer changes the text: the 係長's approval no longer covers it and the step is open again.
        await using (var scope = App.Scope())
        {
            var approvals = scope.ServiceProvider.GetRequiredService<Madoguchi.Web.Features.Approvals.Approvals>();
            var db = scope.ServiceProvider.GetRequiredService<Madoguchi.Web.Platform.Data.AppDb>();
            var application = await db.Applications.SingleAsync(a => a.Id == id, Ct);
            var current = (await approvals.CurrentAsync(id, Ct))!;
            var proposer = await db.StaffMembers.SingleAsync(s => s.LoginId == "caseworker", Ct);
            var user = Madoguchi.Web.Features.Accounts.AccountsSetup.StaffPrincipal(proposer, "test");
            Assert.Equal(Madoguchi.Web.Features.Approvals.ApprovalError.None, await approvals.ReviseAsync(application, current, 12000, "認定します（助成額を追記）。", user, Ct));
        }
        var step = await WithDb(db => db.ApprovalSteps.SingleAsync(s => s.Id == first));
        Assert.Equal("pending", step.Status);
        Assert.Null(step.DecidedBy);
        await JsonAsync(await DecideAsync(kakaricho, first, new { decision = "approve" }), HttpStatusCode.OK);

        // The 課長 is away: the 課長補佐 (a 係長-level approver) decides in their place only when saying so, with a reason.
        await JsonAsync(await DecideAsync(hosa, second, new { decision = "approve" }), HttpStatusCode.Forbidden);
        await JsonAsync(await DecideAsync(hosa, second, new { decision = "approve", substitute = true }), HttpStatusCode.UnprocessableEntity);
        var done = await JsonAsync(await DecideAsync(hosa, second, new { decision = "approve", substitute = true, comment = "課長出張のため代決" }), HttpStatusCode.OK);
        Assert.Equal("approved", done.GetProperty("status").GetString());
        Assert.True(done.GetProperty("steps")[1].GetProperty("substitute").GetBoolean());
        Assert.Equal(12000, done.GetProperty("amountYen").GetInt32());
    }

    [Fact]
    public async Task Sending_back_returns_the_case_to_review_with_the_comment_and_a_new_proposal_starts_a_new_route()
    {
        var id = await FileKodomoIryoAsync();
        using var caseworker = await AsAsync(new { staff = "caseworker" });
        using var kakaricho = await AsAsync(new { staff = "kakaricho" });
        await JsonAsync(await MoveAsync(caseworker, id, new { to = "in-review" }), HttpStatusCode.OK);
        var decision = (await JsonAsync(await MoveAsync(caseworker, id, new { to = "decision-proposed", outcome = "reject", comment = "要件を満たしません。" }), HttpStatusCode.OK)).GetProperty("decision");
        var first = decision.GetProperty("steps")[0].GetProperty("id").GetGuid();
        await JsonAsync(await DecideAsync(kakaricho, first, new { decision = "sendBack" }), HttpStatusCode.UnprocessableEntity);
        var back = await JsonAsync(await DecideAsync(kakaricho, first, new { decision = "sendBack", comment = "保険の確認結果を添えてください。" }), HttpStatusCode.OK);
        Assert.Equal("sent-back", back.GetProperty("status").GetString());
        Assert.Equal(ApplicationStatus.InReview, await WithDb(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        // The old route is over: its step cannot be decided any more.
        await JsonAsync(await DecideAsync(kakaricho, first, new { decision = "approve" }), HttpStatusCode.Conflict);
        var again = await JsonAsync(await MoveAsync(caseworker, id, new { to = "decision-proposed", outcome = "approve", comment = "確認できたため認定します。" }), HttpStatusCode.OK);
        Assert.NotEqual(decision.GetProperty("id").GetGuid(), again.GetProperty("decision").GetProperty("id").GetGuid());
        // A case on its route cannot be completed, and a return for correction needs a note for the resident.
        await JsonAsync(await MoveAsync(caseworker, id, new { to = "completed" }), HttpStatusCode.Conflict);
        await JsonAsync(await MoveAsync(caseworker, id, new { to = "in-review" }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Staff_register_a_paper_application_and_work_it_through_the_inbox_and_case_pages()
    {
        var caseworker = await StaffSessionAsync("caseworker");
        var start = await caseworker.GetAsync("/staff/cases/paper");
        var missing = await caseworker.SubmitAsync(start, "main form", new Dictionary<string, string> { ["Procedure"] = "" });
        Assert.Contains("手続きを選んでください。", missing.Document.QuerySelector(".error-summary")!.TextContent);
        var form = await caseworker.SubmitAsync(start, "main form", new Dictionary<string, string> { ["Procedure"] = "kodomo-iryo-minami", ["Kana"] = "タナカ サクラ", ["BirthDate"] = "1992-04-01" });
        Assert.Matches("^/staff/intake/[0-9a-f-]{36}$", form.Url.AbsolutePath);
        var bundleId = Guid.Parse(form.Url.AbsolutePath.Split('/')[3]);
        // The typing-in belongs to whoever started it: a colleague with the address gets nothing.
        var colleague = await StaffSessionAsync("kakaricho");
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.Http.GetAsync($"/staff/intake/{bundleId}", Ct)).StatusCode);
        var confirm = await caseworker.SubmitAsync(form, "main form", new Dictionary<string, string> { ["f.shared.insurance"] = "shaho" });
        Assert.Contains("confirm=true", confirm.Url.Query);
        var done = await caseworker.SubmitAsync(confirm, "main form", new Dictionary<string, string> { ["SignedOnPaper"] = "true" });
        Assert.Equal(HttpStatusCode.OK, done.Status);
        var filed = await WithDb(db => db.Applications.SingleAsync(a => a.BundleId == bundleId));
        Assert.Equal((ApplicationChannel.Paper, ApplicationStatus.Received), (filed.Channel, filed.Status));
        Assert.NotNull(filed.ResidentId);
        Assert.NotNull(filed.DueOn);

        // The inbox finds it by channel; claiming it in bulk makes the caseworker its owner.
        var inbox = await caseworker.GetAsync("/staff/cases?channel=paper&status=received");
        Assert.Contains(filed.Reference, inbox.Document.QuerySelector("#cases")!.TextContent);
        Assert.All(inbox.Document.QuerySelectorAll("#cases tbody tr"), row => Assert.Contains("紙・郵送", row.TextContent));
        var claimed = await caseworker.SubmitAsync(inbox, "form[action*='handler=Bulk']", new Dictionary<string, string> { ["selected"] = filed.Id.ToString(), ["action"] = "claim" });
        Assert.Contains("1 件を処理しました。", claimed.Document.QuerySelector("#bulk-result")!.TextContent);
        Assert.NotNull(await WithDb(db => db.Applications.Where(a => a.Id == filed.Id).Select(a => a.AssignedTo).SingleAsync()));

        // The case page: a note for colleagues, an attachment whose opening is audit-logged, then review.
        var file = Guid.CreateVersion7();
        await WithDb(async db =>
        {
            db.Attachments.Add(new AttachedFile { Id = file, ApplicationId = filed.Id, FieldKey = "insurance_card", FileName = "card.pdf", ContentType = "application/pdf", Size = 5, Sha256 = "", Content = "%PDF-"u8.ToArray(), CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var page = await caseworker.GetAsync($"/staff/cases/{filed.Id}");
        Assert.Equal("担当 一郎", page.Document.QuerySelector("#assigned")!.TextContent.Trim());
        // Handing it to the 係長 (also a caseworker of the department), and back.
        var kakaricho = await WithDb(db => db.StaffMembers.Where(s => s.LoginId == "kakaricho").Select(s => s.Id).SingleAsync());
        page = await caseworker.SubmitAsync(page, "#assign", new Dictionary<string, string> { ["to"] = kakaricho.ToString() });
        Assert.Equal("係長 次郎", page.Document.QuerySelector("#assigned")!.TextContent.Trim());
        var center = await WithDb(db => db.StaffMembers.Where(s => s.LoginId == "center").Select(s => s.Id).SingleAsync());
        page = await caseworker.SubmitAsync(page, "#assign", new Dictionary<string, string> { ["to"] = center.ToString() });
        Assert.NotNull(page.Document.QuerySelector("#case-error"));
        Assert.Equal("係長 次郎", page.Document.QuerySelector("#assigned")!.TextContent.Trim());
        page = await caseworker.SubmitAsync(page, "form[action$='/Note']", new Dictionary<string, string> { ["text"] = "保険証の写しを郵送で受領済み" });
        Assert.Contains("保険証の写しを郵送で受領済み", page.Document.QuerySelector("#notes")!.TextContent);
        using (var download = await caseworker.Http.GetAsync($"/staff/cases/{filed.Id}/file/{file}", Ct))
        {
            Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        }
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == "case.file.read" && e.Subject == $"application:{filed.Id}")));
        page = await caseworker.SubmitAsync(page, "form[action$='/Move']");
        Assert.Equal("審査中", page.Document.QuerySelector("#status")!.TextContent.Trim());
        // A return without a note is refused with a message, and nothing moves.
        page = await caseworker.SubmitAsync(page, "#return");
        Assert.Contains("理由・コメントを入力してください。", page.Document.QuerySelector("#case-error")!.TextContent);
        Assert.Equal(ApplicationStatus.InReview, await WithDb(db => db.Applications.Where(a => a.Id == filed.Id).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task The_kpi_figures_count_channels_decisions_and_hours_saved_from_the_data()
    {
        using var admin = await AsAsync(new { staff = "admin" });
        var before = await JsonAsync(await admin.GetAsync("/api/v1/insights/kpis", Ct), HttpStatusCode.OK);
        await FileKodomoIryoAsync();
        var after = await JsonAsync(await admin.GetAsync("/api/v1/insights/kpis", Ct), HttpStatusCode.OK);
        Assert.Equal(before.GetProperty("applications").GetInt32() + 1, after.GetProperty("applications").GetInt32());
        Assert.Equal(before.GetProperty("online").GetInt32() + 1, after.GetProperty("online").GetInt32());
        // An online application saves (paper 20 − online 4) minutes of staff time.
        Assert.InRange(after.GetProperty("hoursSaved").GetDouble() - before.GetProperty("hoursSaved").GetDouble(), 0.15, 0.4);
        var procedures = after.GetProperty("procedures").GetInt32();
        Assert.InRange(after.GetProperty("proceduresOnline").GetInt32(), 1, procedures - 1);
        Assert.Equal(["online-procedures", "electronic-approval", "hours-saved"], after.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("key").GetString()));
        using var resident = await AsAsync(new { persona = "single-adult" });
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync("/api/v1/insights/kpis", Ct)).StatusCode);

        // The dashboard shows the same figures, as CSV too; last month's figures are kept once, whatever runs it again.
        var dashboard = await StaffSessionAsync("admin");
        var page = await dashboard.GetAsync("/staff/insights");
        Assert.Equal(after.GetProperty("applications").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), page.Document.QuerySelector("#kpi-applications")!.TextContent.Trim());
        var csv = await dashboard.Http.GetStringAsync("/staff/insights/csv", Ct);
        Assert.Contains($"applications,{after.GetProperty("applications").GetInt32()}", csv);
        var snapshots = App.Service<IEnumerable<Microsoft.Extensions.Hosting.IHostedService>>().OfType<Madoguchi.Web.Features.Insights.MonthlySnapshots>().Single();
        await snapshots.RunOnceAsync(Ct);
        await snapshots.RunOnceAsync(Ct);
        var month = DateTime.UtcNow.AddHours(9).AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([month], await WithDb(db => db.KpiSnapshots.Select(k => k.Month).ToListAsync()));
        page = await dashboard.GetAsync("/staff/insights");
        Assert.Contains(month, page.Document.QuerySelector("#months")!.TextContent);
    }

    [Fact]
    public async Task The_demo_year_of_cases_fills_the_dashboard_and_the_inboxes_and_its_open_routes_can_be_decided()
    {
        await using var demo = new MadoguchiApp(App.Provider);
        demo.Settings["Demo:History"] = "true";
        await demo.InitializeAsync();

        // The dashboard's figures come from a year of cases: online growing, most decided electronically, some overdue.
        using var admin = await AsAsync(new { staff = "admin" }, demo);
        var kpis = await JsonAsync(await admin.GetAsync("/api/v1/insights/kpis", Ct), HttpStatusCode.OK);
        var applications = kpis.GetProperty("applications").GetInt32();
        Assert.InRange(applications, 300, 800);
        Assert.InRange(kpis.GetProperty("onlineShare").GetDouble(), 35, 75);
        var (decided, electronic) = (kpis.GetProperty("decided").GetInt32(), kpis.GetProperty("decidedElectronically").GetInt32());
        Assert.InRange(electronic, decided / 2, decided - 1);
        Assert.InRange(kpis.GetProperty("overdue").GetInt32(), 1, 20);
        Assert.InRange(kpis.GetProperty("medianProcessingDays").GetDouble(), 1, 20);
        Assert.InRange(kpis.GetProperty("medianWaitMinutes").GetDouble(), 3, 30);
        Assert.True(kpis.GetProperty("hoursSaved").GetDouble() > 0);

        // A case waits for the 課長, who approves it; its notice number follows the year's seeded ones.
        using var kacho = await AsAsync(new { staff = "kacho" }, demo);
        var awaiting = await AwaitingAsync(kacho);
        Assert.NotEmpty(awaiting);
        var detail = await JsonAsync(await kacho.GetAsync($"/api/v1/staff/cases/{awaiting[0]}", Ct), HttpStatusCode.OK);
        var decision = detail.GetProperty("decision");
        var step = decision.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("status").GetString() == "pending");
        Assert.Equal("Manager", step.GetProperty("role").GetString());
        var final = await JsonAsync(await DecideAsync(kacho, step.GetProperty("id").GetGuid(), new { decision = "approve", documentHash = decision.GetProperty("documentHash").GetString() }), HttpStatusCode.OK);
        Assert.Equal("approved", final.GetProperty("status").GetString());
        var number = final.GetProperty("noticeNumber").GetString();
        await using (var scope = demo.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Madoguchi.Web.Platform.Data.AppDb>();
            Assert.Equal(1, await db.Decisions.CountAsync(d => d.NoticeNumber == number, Ct));
            Assert.True(await db.Decisions.CountAsync(d => d.NoticeNumber != null, Ct) > 100);

            // Seeding again adds nothing.
            var stored = await db.Applications.CountAsync(Ct);
            await Madoguchi.Web.Platform.PlatformSetup.SeedDemoAsync(scope.ServiceProvider);
            Assert.Equal(stored, await db.Applications.CountAsync(Ct));
        }

        // The personas have a past: their decided applications are in "my applications".
        using var resident = await AsAsync(new { persona = "newborn-parent" }, demo);
        var mine = await JsonAsync(await resident.GetAsync("/api/v1/me/applications", Ct), HttpStatusCode.OK);
        Assert.Contains(mine.EnumerateArray(), a => a.GetProperty("status").GetString() == ApplicationStatus.Completed);
    }
}

public sealed class CaseworkTests_Sqlite(SqliteApp app) : CaseworkTests<SqliteApp>(app);

public sealed class CaseworkTests_Postgres(PostgresApp app) : CaseworkTests<PostgresApp>(app);
