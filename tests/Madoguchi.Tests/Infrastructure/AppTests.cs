using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Madoguchi.Tests.Infrastructure;

/// <summary>Base for suites that run on both databases: a subclass per provider picks the fixture.</summary>
public abstract class AppTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : MadoguchiApp
{
    /// <summary>The started app; skips the test with a visible reason when its database is not available.</summary>
    protected TApp App
    {
        get
        {
            Assert.SkipWhen(fixture.SkipReason is not null, fixture.SkipReason ?? "");
            return fixture;
        }
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A second node on this suite's database that logs at production's levels (appsettings.json), not the tests'
    /// silence, with every line going to <paramref name="capture"/>. Settings are applied before it starts.
    /// </summary>
    protected async Task<MadoguchiApp> LoggedNodeAsync(LogCapture capture, IReadOnlyDictionary<string, string>? settings = null)
    {
        var node = new MadoguchiApp(App.Provider)
        {
            SharedDatabase = App.Database,
            ConfigureTestServices = services => services.AddSingleton<ILoggerProvider>(capture),
        };
        node.Settings["Logging:LogLevel:Default"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            node.Settings[key] = value;
        }
        await node.InitializeAsync();
        return node;
    }

    /// <summary>A complete 妊娠届 for <c>POST /api/v1/applications</c>: no fee, no attachment, every answer valid.</summary>
    protected static object PregnancyNotice(string clinic = "みどり産婦人科") =>
        new { form = "ninshin-todoke", data = new { due_date = "2027-05-01", weeks = 9, multiple = "no", clinic, interview = "yes" } };

    protected Task<T> WithDb<T>(Func<AppDb, Task<T>> work) => WithDb(App, work);

    /// <summary>Runs <paramref name="work"/> on a database context of <paramref name="app"/> (another node, say).</summary>
    protected static async Task<T> WithDb<T>(MadoguchiApp app, Func<AppDb, Task<T>> work)
    {
        await using var scope = app.Scope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDb>());
    }

    /// <summary>Signs a demo persona in through the demo OIDC provider, exactly as a resident's browser does.</summary>
    protected async Task<Browser> SignInWithDemoProviderAsync(string persona, string method = DemoIdp.CardMethod)
    {
        var browser = App.Browser();
        var chooser = await browser.GetAsync("/account/signin/card");
        Assert.Equal(System.Net.HttpStatusCode.OK, chooser.Status);
        Assert.Equal("/demo-idp/authorize", chooser.Url.AbsolutePath);
        var profile = await browser.SubmitAsync(chooser, fields: new Dictionary<string, string> { ["Persona"] = persona, ["Method"] = method });
        Assert.Equal("/account/profile", profile.Url.AbsolutePath);
        return browser;
    }

    /// <summary>The current TOTP code of a staff account, read as its authenticator app would.</summary>
    protected static async Task<string> CurrentCodeAsync(MadoguchiApp app, string loginId)
    {
        await using var scope = app.Scope();
        var protectedSecret = await scope.ServiceProvider.GetRequiredService<AppDb>().StaffMembers.Where(s => s.LoginId == loginId).Select(s => s.ProtectedTotpSecret).SingleAsync();
        return TotpSecrets.For(app.Service<TotpSecrets>().Unprotect(protectedSecret)).ComputeTotp(DateTime.UtcNow);
    }

    /// <summary>Signs a demo staff member in with password and second factor, through the pages.</summary>
    protected static async Task<Browser> SignInStaffAsync(MadoguchiApp app, string loginId)
    {
        var browser = app.Browser();
        var codePage = await browser.SubmitAsync(await browser.GetAsync("/staff/login"), fields: new Dictionary<string, string> { ["Input.LoginId"] = loginId, ["Input.Password"] = DemoPersonas.DemoStaffPassword });
        var home = await browser.SubmitAsync(codePage, fields: new Dictionary<string, string> { ["Code"] = await CurrentCodeAsync(app, loginId) });
        Assert.Equal("/staff", home.Url.AbsolutePath);
        return browser;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(MadoguchiApp, string), Task<Browser>> StaffSessions = new();

    /// <summary>
    /// One signed-in session per staff member and app, shared by a class's tests: a TOTP code is refused the second
    /// time within its window, so signing the same person in again in the same half minute would fail.
    /// </summary>
    protected Task<Browser> StaffSessionAsync(string loginId) => StaffSessions.GetOrAdd((App, loginId), key => SignInStaffAsync(key.Item1, key.Item2));

    protected Task<Resident> ResidentAsync(string provider, string subject) =>
        WithDb(db => db.Residents.Include(r => r.Household).AsNoTracking().SingleAsync(r => r.IdentityProvider == provider && r.Subject == subject));
}
