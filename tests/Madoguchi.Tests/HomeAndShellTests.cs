using System.Net;
using Madoguchi.Tests.Infrastructure;

namespace Madoguchi.Tests;

public sealed class HomeAndShellTests(SqliteApp app) : AppTests<SqliteApp>(app)
{
    [Fact]
    public async Task Home_page_is_Japanese_by_default_with_search_and_the_four_entries()
    {
        using var browser = App.Browser();
        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("ja", page.Document.DocumentElement.GetAttribute("lang"));
        Assert.Contains("みどり市 デジタル窓口", page.Document.Title);
        Assert.NotNull(page.Document.QuerySelector("form[role=search][action='/search'] input[name=q]"));
        foreach (var href in new[] { "/guide", "/applications", "/counters", "/account/profile" })
        {
            Assert.NotNull(page.Document.QuerySelector($"main a[href='{href}']"));
        }
        Assert.Equal("#main", page.Document.QuerySelector("a.skip-link")!.GetAttribute("href"));
        // Scripts only enhance (search suggestions) and come from files, never inline (the CSP forbids it).
        Assert.All(page.Document.QuerySelectorAll("script"), script => Assert.StartsWith("/js/", script.GetAttribute("src")));
    }

    [Fact]
    public async Task Language_switch_is_a_plain_link_that_remembers_the_choice()
    {
        using var browser = App.Browser();
        var english = await browser.GetAsync("/lang/en?returnUrl=%2Faccessibility");
        Assert.Equal("/accessibility", english.Url.AbsolutePath);
        Assert.Equal("en", english.Document.DocumentElement.GetAttribute("lang"));
        Assert.Contains("Accessibility policy", english.Document.QuerySelector("h1")!.TextContent);

        var easy = await browser.GetAsync("/lang/easy?returnUrl=%2F");
        Assert.Equal("ja", easy.Document.DocumentElement.GetAttribute("lang"));
        Assert.Contains("かかない・またない", easy.Text);

        var offsite = await browser.GetAsync("/lang/ja?returnUrl=https%3A%2F%2Fevil.example%2F", maxRedirects: 0);
        Assert.Equal("/", offsite.Response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Accept_language_English_is_honoured_until_a_choice_is_made()
    {
        using var client = App.Api();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9");
        var html = await (await client.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("<html lang=\"en\">", html);
    }

    [Fact]
    public async Task Unknown_page_gets_a_localised_404_without_internals()
    {
        using var browser = App.Browser();
        var page = await browser.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("ページが見つかりません", page.Document.QuerySelector("h1")!.TextContent);
        await browser.GetAsync("/lang/en?returnUrl=%2F");
        var english = await browser.GetAsync("/no/such/page");
        Assert.Contains("Page not found", english.Document.QuerySelector("h1")!.TextContent);
        Assert.DoesNotContain("Exception", english.Html);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using var client = App.Api();
        foreach (var path in new[] { "/", "/css/site.css", "/no-such-page", "/healthz" })
        {
            using var response = await client.GetAsync(path, Ct);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task Health_and_readiness_answer()
    {
        using var client = App.Api();
        Assert.Equal("Healthy", await client.GetStringAsync("/healthz", Ct));
        Assert.Equal("Healthy", await client.GetStringAsync("/readyz", Ct));
    }

    [Fact]
    public async Task My_applications_asks_an_anonymous_visitor_to_sign_in()
    {
        using var browser = App.Browser();
        var page = await browser.GetAsync("/applications");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/account/signin", page.Url.AbsolutePath);
        Assert.Contains("returnUrl=%2Fapplications", page.Url.Query, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        using var browser = App.Browser();
        using var response = await browser.PostFormAsync("/account/signin", new Dictionary<string, string> { ["Input.Email"] = "a@example.jp", ["Input.Password"] = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
