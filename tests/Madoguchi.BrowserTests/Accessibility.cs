using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Madoguchi.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Madoguchi.BrowserTests;

/// <summary>What every resident-page test needs: a phone-sized context in a language, and axe with the WCAG 2.2 AA rules.</summary>
internal static class Accessibility
{
    private static readonly AxeRunOptions Wcag22AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        // Every node is still checked; violations are reported with all their nodes, passes with one node per rule.
        ResultTypes = [ResultType.Violations],
    };

    public static async Task<IBrowserContext> ResidentContextAsync(this ChromiumFixture chromium, MadoguchiApp app, string language, int width = 390, bool javaScript = true)
    {
        var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 800 },
            JavaScriptEnabled = javaScript,
            Locale = "ja-JP",
            AcceptDownloads = true,
        });
        await context.AddCookiesAsync([new Cookie { Name = "madoguchi.lang", Value = language, Url = app.BaseAddress.ToString() }]);
        return context;
    }

    /// <summary>Signs a demo persona in with the card method, through the demo provider's page.</summary>
    public static async Task SignInResidentAsync(IPage page, string persona)
    {
        await page.OpenAsync("/account/signin");
        await page.Locator("main a.button[href^='/account/signin/card']").ClickAsync();
        await page.ArriveAsync("**/demo-idp/authorize**");
        await page.Locator($"input[name=Persona][value='{persona}']").CheckAsync();
        await page.Locator("input[name=Method][value=card]").CheckAsync();
        await page.Locator("main button[type=submit]:not([formaction])").ClickAsync();
        await page.ArriveAsync("**/account/profile");
    }

    /// <summary>Signs a demo staff member in with password and the code the demo page shows.</summary>
    public static async Task SignInStaffAsync(IPage page, string loginId)
    {
        await page.OpenAsync("/staff/login");
        await page.Locator("#input-loginid").FillAsync(loginId);
        await page.Locator("#input-password").FillAsync(Madoguchi.Web.Features.Accounts.DemoPersonas.DemoStaffPassword);
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/staff/login/code");
        await page.Locator("#code").FillAsync(await page.Locator("#demo-code").InnerTextAsync());
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/staff");
    }

    /// <summary>axe finds nothing, and the page does not overflow the screen sideways.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var result = await page.RunAxe(Wcag22AA);
        var report = string.Join("\n", result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
        Assert.True(result.Violations.Length == 0, $"{what}: axe found\n{report}");
        Assert.NotEmpty(result.Passes);
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), $"{what} overflows the screen");
    }
}
