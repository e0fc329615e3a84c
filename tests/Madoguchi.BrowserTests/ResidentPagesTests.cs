using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Accounts;
using Microsoft.Playwright;

namespace Madoguchi.BrowserTests;

public sealed class ResidentPagesTests(SqliteApp app, ChromiumFixture chromium) : IClassFixture<SqliteApp>, IClassFixture<ChromiumFixture>
{
    private Task<IBrowserContext> ContextAsync(string language, bool javaScript = true, int width = 390) =>
        chromium.ResidentContextAsync(app, language, width, javaScript);

    private static Task SignInAsync(IPage page, string persona) => Accessibility.SignInResidentAsync(page, persona);

    private static Task AssertNoViolationsAsync(IPage page, string what) => Accessibility.AssertAccessibleAsync(page, what);

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    [InlineData("easy")]
    public async Task Resident_pages_have_no_axe_violations(string language)
    {
        await using var context = await ContextAsync(language);
        var page = await context.NewPageAsync();
        foreach (var path in new[] { "/", "/account/signin", "/account/register", "/account/forgot", "/account/reset?token=expired", "/accessibility", "/privacy", "/no-such-page", "/error/503", "/guide", "/staff/login" })
        {
            var response = await page.OpenAsync(path);
            Assert.NotNull(response);
            await AssertNoViolationsAsync(page, $"{language} {path}");
        }

        // The error summary state of a form, too.
        await page.OpenAsync("/account/register");
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.Locator(".error-summary").WaitForAsync();
        await AssertNoViolationsAsync(page, $"{language} register with errors");

        await SignInAsync(page, "moving-family");
        await AssertNoViolationsAsync(page, $"{language} profile");
        await page.OpenAsync("/account/data");
        await AssertNoViolationsAsync(page, $"{language} my data");
        await page.OpenAsync("/demo-idp/authorize?response_type=code");
        await AssertNoViolationsAsync(page, $"{language} demo provider error");
    }

    [Fact]
    public async Task A_resident_signs_in_with_a_persona_sees_the_profile_and_switches_language_without_javascript()
    {
        await using var context = await ContextAsync("ja", javaScript: false, width: 360);
        var page = await context.NewPageAsync();
        await page.OpenAsync("/");
        await page.Locator("header a[href='/account/signin']").ClickAsync();
        await SignInAsync(page, "foreign-resident");
        Assert.Equal("NGUYEN VAN AN", await page.Locator("#input-name").InputValueAsync());
        Assert.True(await page.Locator("#input-name").GetAttributeAsync("readonly") is not null);
        Assert.Contains("確認済み", await page.Locator("label[for=input-name]").InnerTextAsync());

        await page.Locator("header nav a[hreflang=en]").ClickAsync();
        await page.ArriveAsync("**/account/profile");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("My details", await page.Locator("main h1").InnerTextAsync());

        await page.Locator("#input-phone").FillAsync("080-9999-0000");
        await page.Locator("form[action*='handler=Save'] button[type=submit]").ClickAsync();
        Assert.Contains("Your details are saved.", await page.Locator("[role=status]").InnerTextAsync());
        Assert.Equal("080-9999-0000", await page.Locator("#input-phone").InputValueAsync());

        // Nothing overflows a 360 px phone screen.
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow);
    }

    [Fact]
    public async Task Pages_fit_a_small_phone_and_the_skip_link_reaches_the_content()
    {
        await using var context = await ContextAsync("easy", width: 360);
        var page = await context.NewPageAsync();
        foreach (var path in new[] { "/", "/account/signin", "/account/register", "/accessibility" })
        {
            await page.OpenAsync(path);
            Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), $"{path} overflows 360 px");
        }
        await page.OpenAsync("/");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip-link", await page.EvaluateAsync<string>("() => document.activeElement.className"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }
}

public sealed class StaffPagesTests(SqliteApp app, ChromiumFixture chromium) : IClassFixture<SqliteApp>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_clerk_signs_in_with_the_second_factor_and_finds_a_resident_and_the_pages_pass_axe()
    {
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1024, Height = 800 }, Locale = "ja-JP" });
        var page = await context.NewPageAsync();
        await page.OpenAsync("/staff/login");
        await page.Locator("#input-loginid").FillAsync("clerk");
        await page.Locator("#input-password").FillAsync(DemoPersonas.DemoStaffPassword);
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/staff/login/code");
        await AssertNoViolationsAsync(page, "code page");
        await page.Locator("#code").FillAsync(await page.Locator("#demo-code").InnerTextAsync());
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/staff");
        await AssertNoViolationsAsync(page, "staff home");

        await page.Locator("a[href='/staff/residents']").First.ClickAsync();
        await page.Locator("#name").FillAsync("鈴木 美咲");
        await page.Locator("#birthdate").FillAsync("1995-03-03");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/staff/residents?**");
        await page.Locator("main ul a").ClickAsync();
        await page.ArriveAsync(new System.Text.RegularExpressions.Regex("/staff/residents/[0-9a-f-]{36}$"));
        var main = await page.Locator("main").InnerTextAsync();
        Assert.Contains("監査ログに記録されました", main);
        Assert.Contains("鈴木 大輔", main);
        await AssertNoViolationsAsync(page, "resident record");
    }

    [Fact]
    public async Task An_administrator_edits_the_catalogue_in_pages_that_pass_axe()
    {
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1024, Height = 800 }, Locale = "ja-JP" });
        var page = await context.NewPageAsync();
        await page.OpenAsync("/staff/login");
        await page.Locator("#input-loginid").FillAsync("admin");
        await page.Locator("#input-password").FillAsync(DemoPersonas.DemoStaffPassword);
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/staff/login/code");
        await page.Locator("#code").FillAsync(await page.Locator("#demo-code").InnerTextAsync());
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/staff");
        await page.Locator("a[href='/staff/catalog']").ClickAsync();
        await AssertNoViolationsAsync(page, "catalogue");

        await page.OpenAsync("/staff/catalog/procedures/tennyu-chuo");
        await AssertNoViolationsAsync(page, "procedure editor");
        await page.Locator("#input-summaryja").FillAsync("市外から引っ越してきたとき、14日以内に届け出ます。");
        await page.Locator("form[action*='handler=Save'] button[type=submit]").ClickAsync();
        await page.Locator(".notice[role=status]").WaitForAsync();
        await page.Locator("form[action*='handler=Publish'] button[type=submit]").ClickAsync();
        await page.Locator("#history").WaitForAsync();
        Assert.Contains("公開しました", await page.Locator(".notice[role=status]").InnerTextAsync());
        await AssertNoViolationsAsync(page, "procedure editor after publishing");
        await page.OpenAsync("/staff/catalog/procedures/tennyu-chuo/preview?version=1");
        await AssertNoViolationsAsync(page, "preview");
        await page.OpenAsync("/staff/catalog/life-events/birth");
        await AssertNoViolationsAsync(page, "life event editor");
        await page.OpenAsync("/staff/catalog/synonyms");
        await AssertNoViolationsAsync(page, "synonyms");
    }

    private static async Task AssertNoViolationsAsync(IPage page, string what)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
        Assert.True(result.Violations.Length == 0, $"{what}: " + string.Join("; ", result.Violations.Select(v => $"{v.Id}: {v.Help}")));
    }
}
