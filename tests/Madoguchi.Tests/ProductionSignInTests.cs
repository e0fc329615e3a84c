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
    private async Task<MadoguchiApp> CityAppAsync(string? clientKeyPem)
    {
        var city = new MadoguchiApp(DatabaseProvider.Sqlite) { MigrateBeforeStart = true };
        city.Settings["Demo:Enabled"] = "false";
        city.Settings["Identity:Oidc:Authority"] = new Uri(App.BaseAddress, "/demo-idp").ToString();
        city.Settings["Identity:Oidc:ClientId"] = DemoIdp.ClientId;
        city.Settings["Identity:Oidc:ClientKeyPem"] = clientKeyPem;
        city.Settings["Identity:Oidc:AcrValues"] = "aal3";
        await city.InitializeAsync();
        return city;
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
