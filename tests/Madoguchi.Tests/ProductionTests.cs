using System.Net;
using System.Net.Http.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Platform.Data;

namespace Madoguchi.Tests;

/// <summary>The app as a city runs it: Production, no demo mode, migrated by the operator beforehand.</summary>
public sealed class ProductionApp : MadoguchiApp
{
    public ProductionApp() : base(DatabaseProvider.Sqlite)
    {
        Environment = "Production";
        MigrateBeforeStart = true;
        Settings.Remove("Demo:Enabled");
        Settings.Remove("Security:RequireHttps");
        Settings["Security:TrustForwardedHeaders"] = "true";
        Settings["PublicUrl"] = "https://madoguchi.midori.example";
    }

    /// <summary>As behind the city's TLS-terminating proxy.</summary>
    public Browser BehindProxy()
    {
        var browser = Browser();
        browser.Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return browser;
    }
}

public sealed class ProductionTests(ProductionApp app) : AppTests<ProductionApp>(app)
{
    [Theory]
    [InlineData("GET", "/demo-idp/.well-known/openid-configuration")]
    [InlineData("GET", "/demo-idp/authorize?response_type=code&client_id=madoguchi-demo")]
    [InlineData("GET", "/demo-idp/jwks")]
    [InlineData("POST", "/demo-idp/token")]
    [InlineData("GET", "/demo-idp/userinfo")]
    [InlineData("GET", "/demo/mail")]
    [InlineData("GET", "/local-pay/pay/lp_0000")]
    [InlineData("POST", "/local-pay/v1/payments")]
    [InlineData("GET", "/local-pay/v1/ledger")]
    [InlineData("GET", "/api/v1/demo/personas")]
    [InlineData("POST", "/api/v1/demo/token")]
    [InlineData("GET", "/account/signin/card")]
    public async Task Every_demo_route_answers_404(string method, string path)
    {
        using var client = App.Api();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = JsonContent.Create(new { persona = "single-adult" });
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task No_demo_data_is_seeded_and_the_sign_in_page_offers_no_card_button_without_a_provider()
    {
        Assert.Equal(0, await WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.StaffMembers, Ct)));
        using var browser = App.BehindProxy();
        var page = await browser.GetAsync("/account/signin");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Null(page.Document.QuerySelector("a[href^='/account/signin/card']"));
        Assert.DoesNotContain("デモ", page.Text);
    }

    [Fact]
    public async Task Cookies_are_secure_and_http_only_and_hsts_is_sent_in_production()
    {
        using var client = App.Api();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Host = "www.city.midori.example"; // HSTS is never sent to localhost names
        using var response = await client.GetAsync("/account/register", Ct);
        Assert.StartsWith("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("madoguchi.af", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
