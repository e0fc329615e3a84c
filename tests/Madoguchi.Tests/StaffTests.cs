using System.Net.Http.Json;
using System.Net;
using System.Net.Sockets;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Madoguchi.Tests;

public abstract class StaffTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private Task<string> CurrentCodeAsync(string loginId) => CurrentCodeAsync(App, loginId);

    private async Task<Browser.Page> PasswordStepAsync(Browser browser, string loginId, string password = DemoPersonas.DemoStaffPassword) =>
        await browser.SubmitAsync(await browser.GetAsync("/staff/login"), fields: new Dictionary<string, string> { ["Input.LoginId"] = loginId, ["Input.Password"] = password });

    [Fact]
    public async Task Staff_sign_in_needs_the_password_and_then_the_second_factor()
    {
        using var browser = App.Browser();
        var codePage = await PasswordStepAsync(browser, "admin");
        Assert.Equal("/staff/login/code", codePage.Url.AbsolutePath);
        Assert.NotNull(codePage.Document.QuerySelector("#demo-code"));

        // The password alone opens nothing.
        var blocked = await browser.GetAsync("/staff", maxRedirects: 0);
        Assert.Equal(HttpStatusCode.Redirect, blocked.Status);

        var wrong = await browser.SubmitAsync(codePage, fields: new Dictionary<string, string> { ["Code"] = "000000" == await CurrentCodeAsync("admin") ? "111111" : "000000" });
        Assert.Contains("確認コードが正しくない", wrong.Text);

        var code = await CurrentCodeAsync("admin");
        var home = await browser.SubmitAsync(wrong, fields: new Dictionary<string, string> { ["Code"] = code });
        Assert.Equal("/staff", home.Url.AbsolutePath);
        Assert.Contains("推進 管理", home.Text);
        Assert.Contains("管理者", home.Text);
        Assert.NotNull(home.Document.QuerySelector("a[href='/staff/outbox']"));
        var outbox = await browser.GetAsync("/staff/outbox");
        Assert.Equal(HttpStatusCode.OK, outbox.Status);

        // The same code cannot be used again in another session.
        using var replay = App.Browser();
        var replayCode = await PasswordStepAsync(replay, "admin");
        var refused = await replay.SubmitAsync(replayCode, fields: new Dictionary<string, string> { ["Code"] = code });
        Assert.Contains("すでに使われています", refused.Text);

        var audit = await WithDb(db => db.AuditEntries.Where(e => e.Action == "staff.signin").CountAsync());
        Assert.True(audit >= 1);
    }

    [Fact]
    public async Task A_deactivated_account_loses_its_session_at_once_and_sign_out_is_audited()
    {
        using var browser = App.Browser();
        var codePage = await PasswordStepAsync(browser, "kakaricho");
        await browser.SubmitAsync(codePage, fields: new Dictionary<string, string> { ["Code"] = await CurrentCodeAsync("kakaricho") });
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/staff", maxRedirects: 0)).Status);
        await WithDb(db => db.StaffMembers.Where(s => s.LoginId == "kakaricho").ExecuteUpdateAsync(s => s.SetProperty(m => m.Active, false)));
        try
        {
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/staff", maxRedirects: 0)).Status);
        }
        finally
        {
            await WithDb(db => db.StaffMembers.Where(s => s.LoginId == "kakaricho").ExecuteUpdateAsync(s => s.SetProperty(m => m.Active, true)));
        }

        using var other = App.Browser();
        var code = await PasswordStepAsync(other, "kacho");
        var home = await other.SubmitAsync(code, fields: new Dictionary<string, string> { ["Code"] = await CurrentCodeAsync("kacho") });
        var id = await WithDb(db => db.StaffMembers.Where(s => s.LoginId == "kacho").Select(s => s.Id).SingleAsync());
        var signedOut = await other.SubmitAsync(home, "form[action='/staff/signout']");
        Assert.Equal("/staff/login", signedOut.Url.AbsolutePath);
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == "staff.signout" && e.Actor == $"staff:{id}")));
        Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("/staff", maxRedirects: 0)).Status);
    }

    [Fact]
    public async Task Roles_limit_what_staff_can_open()
    {
        using var browser = await SignInStaffAsync(App, "caseworker");
        var outbox = await browser.GetAsync("/staff/outbox");
        Assert.Equal(HttpStatusCode.Forbidden, outbox.Status);
        var audit = await browser.GetAsync("/staff/audit");
        Assert.Equal(HttpStatusCode.Forbidden, audit.Status);

        using var auditorBrowser = await SignInStaffAsync(App, "auditor");
        var log = await auditorBrowser.GetAsync("/staff/audit");
        Assert.Equal(HttpStatusCode.OK, log.Status);
        Assert.Contains("改ざんされていません", log.Text);
        Assert.Contains("末尾から削除された記録は検出できません", log.Document.QuerySelector("#audit-checkpoints")!.TextContent);
        Assert.Contains("staff.signin", log.Text);
    }

    [Fact]
    public async Task A_resident_session_does_not_open_the_staff_area()
    {
        using var browser = await SignInWithDemoProviderAsync("single-adult");
        var staff = await browser.GetAsync("/staff", maxRedirects: 0);
        Assert.Equal(HttpStatusCode.Redirect, staff.Status);
        Assert.StartsWith("/staff/login", staff.Response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account()
    {
        using var browser = App.Browser();
        for (var i = 0; i < LoginModelMaxFailures; i++)
        {
            var page = await PasswordStepAsync(browser, "clerk", "not the password");
            Assert.Contains("正しくありません", page.Text);
        }
        var locked = await PasswordStepAsync(browser, "clerk");
        Assert.Contains("ロックしています", locked.Text);
        await WithDb(db => db.StaffMembers.Where(s => s.LoginId == "clerk").ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, (DateTime?)null)));
    }

    private const int LoginModelMaxFailures = Madoguchi.Web.Features.Accounts.Staff.LoginModel.MaxFailures;
}

public sealed class StaffTests_Sqlite(SqliteApp app) : StaffTests<SqliteApp>(app);

public sealed class StaffTests_Postgres(PostgresApp app) : StaffTests<PostgresApp>(app);

/// <summary>A city can serve the staff area on its own listener, off the internet-facing one.</summary>
public sealed class StaffListenerApp : MadoguchiApp
{
    public StaffListenerApp() : base(Madoguchi.Web.Platform.Data.DatabaseProvider.Sqlite)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        StaffPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        ExtraPorts.Add(StaffPort);
        Settings["Staff:ListenPort"] = StaffPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public int StaffPort { get; }
}

public sealed class StaffListenerTests(StaffListenerApp app) : AppTests<StaffListenerApp>(app)
{
    [Fact]
    public async Task Staff_pages_answer_only_on_the_staff_listener_and_only_staff_pages_do()
    {
        using var client = new HttpClient { BaseAddress = App.BaseAddress };
        using var staffClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{App.StaffPort}") };
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/staff/login", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/staff/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staffClient.GetAsync("/staff/login", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staffClient.GetAsync("/account/signin", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staffClient.GetAsync("/css/site.css", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", Ct)).StatusCode);
    }
}

public sealed class RateLimitedApp : MadoguchiApp
{
    public RateLimitedApp() : base(Madoguchi.Web.Platform.Data.DatabaseProvider.Sqlite) => Settings["RateLimits:SignInPerMinute"] = "3";
}

public sealed class RateLimitTests(RateLimitedApp app) : AppTests<RateLimitedApp>(app)
{
    [Fact]
    public async Task Sign_in_and_token_endpoints_are_rate_limited_per_client()
    {
        using var client = App.Api();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostAsync("/api/v1/demo/token", JsonContent.Create(new { persona = "single-adult" }), Ct);
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);

        // The budget is shared by every sign-in surface; looking at the form is free, trying is not.
        using var browser = App.Browser();
        var page = await browser.GetAsync("/staff/login");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var limited = await browser.SubmitAsync(page, fields: new Dictionary<string, string> { ["Input.LoginId"] = "admin", ["Input.Password"] = "guess" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("しばらくしてから", limited.Text);
    }
}

public abstract class ResidentLookupTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private Task<Browser> StaffAsync(string loginId) => SignInStaffAsync(App, loginId);

    [Fact]
    public async Task A_clerk_finds_a_resident_by_name_and_birthdate_and_the_opening_is_audited()
    {
        using var clerk = await StaffAsync("clerk");
        var search = await clerk.GetAsync("/staff/residents?Name=%E3%83%A4%E3%83%9E%E3%83%A2%E3%83%88%E3%83%84%E3%83%90%E3%82%B5&BirthDate=2001-07-20");
        var link = search.Document.QuerySelector("main ul a[href^='/staff/residents/']");
        Assert.NotNull(link);
        Assert.Contains("山本 翼", link.TextContent);
        var wrongDate = await clerk.GetAsync("/staff/residents?Name=%E5%B1%B1%E6%9C%AC%E7%BF%BC&BirthDate=2001-07-21");
        Assert.Contains("0件", wrongDate.Text);
        var nameOnly = await clerk.GetAsync("/staff/residents?Name=%E5%B1%B1%E6%9C%AC%E7%BF%BC");
        Assert.Contains("生年月日が正しくありません", nameOnly.Text);

        var before = await WithDb(db => db.AuditEntries.CountAsync(e => e.Action == "staff.viewed-resident"));
        var record = await clerk.GetAsync(link.GetAttribute("href")!);
        Assert.Contains("山本 翼", record.Text);
        Assert.Contains("監査ログに記録されました", record.Text);
        var resident = await ResidentAsync(DemoIdp.ProviderName, "no-card");
        var entry = await WithDb(db => db.AuditEntries.OrderByDescending(e => e.Sequence).FirstAsync(e => e.Action == "staff.viewed-resident"));
        Assert.Equal(before + 1, await WithDb(db => db.AuditEntries.CountAsync(e => e.Action == "staff.viewed-resident")));
        Assert.Equal($"resident:{resident.Id}", entry.Subject);
        Assert.StartsWith("staff:", entry.Actor);
        Assert.DoesNotContain("山本", entry.Detail ?? "");
    }

    [Fact]
    public async Task Staff_without_a_resident_facing_role_cannot_open_personal_data()
    {
        var id = (await ResidentAsync(DemoIdp.ProviderName, "senior")).Id;
        using var admin = await StaffAsync("admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync($"/staff/residents/{id}")).Status);
        using var auditor = await StaffAsync("auditor");
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync("/staff/residents")).Status);
        using var anonymous = App.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/staff/residents/{id}", maxRedirects: 0)).Status);
        Assert.Equal(0, await WithDb(db => db.AuditEntries.CountAsync(e => e.Action == "staff.viewed-resident" && e.Subject == $"resident:{id}")));
    }
}

public sealed class ResidentLookupTests_Sqlite(SqliteApp app) : ResidentLookupTests<SqliteApp>(app);

public sealed class ResidentLookupTests_Postgres(PostgresApp app) : ResidentLookupTests<PostgresApp>(app);
