using System.Net;
using System.Security.Cryptography;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Madoguchi.Tests;

/// <summary>
/// The production sign-in path: a city's app with demo mode off, configured only with an authority, a client id
/// and its private key, talking over real HTTP to a separate OpenID Connect provider (another app's demo provider,
/// which speaks the national service's protocol).
/// </summary>
public sealed class ProviderApp : MadoguchiApp
{
    public static readonly string ClientKeyPem = CreateKey();

    public ProviderApp() : base(DatabaseProvider.Sqlite) => Settings["Identity:Oidc:ClientKeyPem"] = ClientKeyPem;

    private static string CreateKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }
}

public sealed class ProductionSignInTests(ProviderApp provider) : AppTests<ProviderApp>(provider)
{
    private async Task<MadoguchiApp> CityAppAsync(string? clientKeyPem, string section = "Oidc")
    {
        var city = new MadoguchiApp(DatabaseProvider.Sqlite) { MigrateBeforeStart = true };
        city.Settings["Demo:Enabled"] = "false";
        city.Settings[$"Identity:{section}:Authority"] = new Uri(App.BaseAddress, "/demo-idp").ToString();
        city.Settings[$"Identity:{section}:ClientId"] = DemoIdp.ClientId;
        city.Settings["Identity:Oidc:ClientKeyPem"] = clientKeyPem;
        city.Settings["Identity:Oidc:AcrValues"] = "aal3";
        await city.InitializeAsync();
        return city;
    }

    [Fact]
    public async Task Staff_sign_in_through_the_citys_provider_needs_an_active_account_and_a_second_factor()
    {
        await using var city = await CityAppAsync(ProviderApp.ClientKeyPem, "StaffOidc");
        await using (var scope = city.Scope())
        {
            // The provider's subject for this person is "single-adult": the city registers that as the login id.
            var (account, error) = await StaffAccounts.CreateAsync(scope.ServiceProvider.GetRequiredService<AppDb>(), city.Service<TotpSecrets>(), TimeProvider.System,
                "operator", "single-adult", "佐藤 健一", [StaffRoles.Clerk], ["shimin"], StaffAccounts.NewPassword(), Ct);
            Assert.Null(error);
        }

        async Task<Browser.Page> SignInAsync(Browser browser, string persona, string method)
        {
            var login = await browser.GetAsync("/staff/login");
            var chooser = await browser.GetAsync(login.Document.QuerySelector("a[href='/staff/login/city']")!.GetAttribute("href")!);
            Assert.Equal("/demo-idp/authorize", chooser.Url.AbsolutePath);
            return await browser.SubmitAsync(chooser, fields: new Dictionary<string, string> { ["Persona"] = persona, ["Method"] = method });
        }

        using var withCard = city.Browser();
        var home = await SignInAsync(withCard, "single-adult", DemoIdp.CardMethod);
        Assert.Equal("/staff", home.Url.AbsolutePath);
        Assert.Contains("佐藤 健一", home.Text);

        using var passwordOnly = city.Browser();
        var refused = await SignInAsync(passwordOnly, "single-adult", DemoIdp.LocalMethod);
        Assert.Equal("/staff/login", refused.Url.AbsolutePath);
        Assert.Contains("二要素認証", refused.Text);
        Assert.Equal(HttpStatusCode.Redirect, (await passwordOnly.GetAsync("/staff", maxRedirects: 0)).Status);
        Assert.DoesNotContain(passwordOnly.Cookies.GetAllCookies(), c => c.Name == "madoguchi.staff");

        using var stranger = city.Browser();
        var unknown = await SignInAsync(stranger, "senior", DemoIdp.CardMethod);
        Assert.Equal("/staff/login", unknown.Url.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/staff", maxRedirects: 0)).Status);

        await using var check = city.Scope();
        var audit = await check.ServiceProvider.GetRequiredService<AppDb>().AuditEntries.Where(e => e.Action.StartsWith("staff.signin")).Select(e => e.Action).ToListAsync(Ct);
        Assert.Equal(["staff.signin", "staff.signin-failed", "staff.signin-failed"], audit);
    }

    [Fact]
    public async Task A_city_app_signs_residents_in_at_its_configured_provider_with_verified_fields()
    {
        await using var city = await CityAppAsync(ProviderApp.ClientKeyPem);
        using var browser = city.Browser();
        var challenge = await browser.GetAsync("/account/signin/card", maxRedirects: 0);
        var location = challenge.Response.Headers.Location!;
        Assert.Equal(App.BaseAddress.Port, location.Port);
        Assert.Equal("/demo-idp/authorize", location.AbsolutePath);
        Assert.Contains("acr_values=aal3", location.Query);
        Assert.Contains("code_challenge_method=S256", location.Query);

        var chooser = await browser.GetAsync(location.ToString());
        var profile = await browser.SubmitAsync(chooser, fields: new Dictionary<string, string> { ["Persona"] = "senior", ["Method"] = "card" });
        Assert.Equal(city.BaseAddress.Port, profile.Url.Port);
        Assert.Equal("/account/profile", profile.Url.AbsolutePath);
        Assert.Equal("伊藤 トメ", profile.Document.QuerySelector("#input-name")!.GetAttribute("value"));
        Assert.Null(profile.Document.QuerySelector(".demo-banner"));

        await using var scope = city.Scope();
        var resident = await scope.ServiceProvider.GetRequiredService<AppDb>().Residents.AsNoTracking().SingleAsync(r => r.IdentityProvider == "oidc", Ct);
        Assert.Equal("senior", resident.Subject);
        Assert.Equal(new DateOnly(1948, 2, 29), resident.BirthDate);
        Assert.Equal("東区", resident.Ward);
        Assert.Contains(ProfileFields.Address, resident.VerifiedFields);
        Assert.Equal(Assurance.High, resident.LastAssurance);
    }

    [Fact]
    public async Task A_city_app_with_the_wrong_client_key_is_refused_by_the_provider()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var city = await CityAppAsync(other.ExportPkcs8PrivateKeyPem());
        using var browser = city.Browser();
        var chooser = await browser.GetAsync("/account/signin/card");
        var result = await browser.SubmitAsync(chooser, fields: new Dictionary<string, string> { ["Persona"] = "senior", ["Method"] = "card" });
        Assert.Equal("/account/signin", result.Url.AbsolutePath);
        Assert.Contains("ログインできませんでした", result.Text);
        Assert.Equal(HttpStatusCode.OK, result.Status);
    }
}
