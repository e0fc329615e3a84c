using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Accounts;
using Microsoft.IdentityModel.Tokens;

namespace Madoguchi.Tests;

/// <summary>The demo provider holds the client to the protocol the national service uses.</summary>
public sealed class OidcProtocolTests(SqliteApp app) : AppTests<SqliteApp>(app)
{
    private const string Redirect = "http://127.0.0.1/signin-oidc";

    private string TokenEndpoint => new Uri(App.BaseAddress, "/demo-idp/token").ToString();

    private async Task<(Browser Browser, string Code, string Verifier)> AuthorizeAsync()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var browser = App.Browser();
        var page = await browser.GetAsync($"/demo-idp/authorize?response_type=code&client_id={DemoIdp.ClientId}&redirect_uri={Uri.EscapeDataString(Redirect)}&state=s1&nonce=n1&code_challenge={challenge}&code_challenge_method=S256&scope=openid");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var redirect = await browser.SubmitAsync(page, fields: new Dictionary<string, string> { ["Persona"] = "senior", ["Method"] = "card" }, maxRedirects: 0);
        var location = redirect.Response.Headers.Location!;
        Assert.StartsWith(Redirect, location.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("s1", query["state"]);
        return (browser, query["code"]!, verifier);
    }

    private Dictionary<string, string> TokenRequest(string code, string verifier, string? assertion = null) => new()
    {
        ["grant_type"] = "authorization_code",
        ["code"] = code,
        ["redirect_uri"] = Redirect,
        ["code_verifier"] = verifier,
        ["client_id"] = DemoIdp.ClientId,
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ["client_assertion"] = assertion ?? App.Service<OidcClientKey>().CreateAssertion(DemoIdp.ClientId, TokenEndpoint, DateTimeOffset.UtcNow),
    };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(Browser browser, Dictionary<string, string> form)
    {
        using var response = await browser.PostFormAsync("/demo-idp/token", form);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    [Fact]
    public async Task The_code_is_exchanged_once_for_an_ES256_id_token_and_userinfo_gives_the_four_facts()
    {
        var (browser, code, verifier) = await AuthorizeAsync();
        var (status, body) = await PostAsync(browser, TokenRequest(code, verifier));
        Assert.Equal(HttpStatusCode.OK, status);
        var idToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(body.GetProperty("id_token").GetString());
        Assert.Equal("ES256", idToken.Alg);
        Assert.Equal("n1", idToken.GetClaim("nonce").Value);
        Assert.Equal("senior", idToken.Subject);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/demo-idp/userinfo");
        request.Headers.Authorization = new("Bearer", body.GetProperty("access_token").GetString());
        using var userinfo = JsonDocument.Parse(await (await browser.Http.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal("伊藤 トメ", userinfo.RootElement.GetProperty("name").GetString());
        Assert.Equal("19480229", userinfo.RootElement.GetProperty("birthdate").GetString());
        Assert.Equal("2", userinfo.RootElement.GetProperty("gender").GetString());

        var (replayStatus, replay) = await PostAsync(browser, TokenRequest(code, verifier));
        Assert.Equal(HttpStatusCode.BadRequest, replayStatus);
        Assert.Equal("invalid_grant", replay.GetProperty("error").GetString());
        browser.Dispose();
    }

    [Fact]
    public async Task A_wrong_verifier_or_a_missing_or_foreign_client_assertion_is_refused()
    {
        var (browser, code, _) = await AuthorizeAsync();
        var (status, body) = await PostAsync(browser, TokenRequest(code, "not-the-verifier-at-all-0123456789abcdef"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());

        var (browser2, code2, verifier2) = await AuthorizeAsync();
        var noAssertion = TokenRequest(code2, verifier2);
        noAssertion.Remove("client_assertion");
        Assert.Equal("invalid_client", (await PostAsync(browser2, noAssertion)).Body.GetProperty("error").GetString());

        var foreignKey = new OidcClientKey(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var foreign = TokenRequest(code2, verifier2, foreignKey.CreateAssertion(DemoIdp.ClientId, TokenEndpoint, DateTimeOffset.UtcNow));
        Assert.Equal("invalid_client", (await PostAsync(browser2, foreign)).Body.GetProperty("error").GetString());

        var wrongAudience = TokenRequest(code2, verifier2, App.Service<OidcClientKey>().CreateAssertion(DemoIdp.ClientId, DemoIdp.Authority + "/token", DateTimeOffset.UtcNow));
        Assert.Equal("invalid_client", (await PostAsync(browser2, wrongAudience)).Body.GetProperty("error").GetString());
        browser.Dispose();
        browser2.Dispose();
    }

    [Fact]
    public async Task Authorization_requests_without_pkce_state_or_nonce_are_refused_without_redirecting()
    {
        using var browser = App.Browser();
        var noPkce = await browser.GetAsync($"/demo-idp/authorize?response_type=code&client_id={DemoIdp.ClientId}&redirect_uri={Uri.EscapeDataString(Redirect)}&state=s&nonce=n");
        Assert.Equal(HttpStatusCode.BadRequest, noPkce.Status);
        Assert.Contains("code_challenge", noPkce.Text);
        var noNonce = await browser.GetAsync($"/demo-idp/authorize?response_type=code&client_id={DemoIdp.ClientId}&redirect_uri={Uri.EscapeDataString(Redirect)}&state=s&code_challenge=abc&code_challenge_method=S256");
        Assert.Equal(HttpStatusCode.BadRequest, noNonce.Status);
        var elsewhere = await browser.GetAsync($"/demo-idp/authorize?response_type=code&client_id={DemoIdp.ClientId}&redirect_uri={Uri.EscapeDataString("https://evil.example/cb")}&state=s&nonce=n&code_challenge=abc&code_challenge_method=S256");
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.Status);
    }

    [Fact]
    public async Task The_client_key_is_published_for_registration_and_discovery_names_the_protocol()
    {
        using var client = App.Api();
        using var jwks = JsonDocument.Parse(await client.GetStringAsync("/oidc/jwks.json", Ct));
        var key = jwks.RootElement.GetProperty("keys")[0];
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _), "the private part must never be published");
        using var discovery = JsonDocument.Parse(await client.GetStringAsync("/demo-idp/.well-known/openid-configuration", Ct));
        Assert.Equal(["private_key_jwt"], discovery.RootElement.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["ES256"], discovery.RootElement.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
    }
}
