using Madoguchi.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Madoguchi.BrowserTests;

/// <summary>The catalogue and the life-event guide in a real browser: journeys, suggestions, axe in three languages.</summary>
public sealed class GuideBrowserTests(SqliteApp app, ChromiumFixture chromium) : IClassFixture<SqliteApp>, IClassFixture<ChromiumFixture>
{
    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    [InlineData("easy")]
    public async Task Catalogue_and_guide_pages_have_no_axe_violations(string language)
    {
        await using var context = await chromium.ResidentContextAsync(app, language, width: 360);
        var page = await context.NewPageAsync();
        foreach (var path in new[]
        {
            "/search", "/search?q=%E8%BB%A2%E5%85%A5", "/search?q=%E5%AE%87%E5%AE%99%E6%97%85%E8%A1%8C", "/search?q=%E3%81%98%E3%81%A9%E3%81%86%E3%81%A6%E3%81%82%E3%81%A7",
            "/procedures/shussei-todoke-chuo?eventDate=2026-11-10", "/procedures/sozoku-hoki", "/procedures/jumin-hyo-kita",
            "/guide", "/guide/death", "/guide/death?eventDate=2026-11-16&ward=minato&step=1", "/guide/death?eventDate=2026-11-16&ward=minato&step=3",
            "/guide/birth?eventDate=2026-11-10&ward=kita&step=2",
            "/guide/death/plan?eventDate=2026-11-16&ward=minato&householdHead=yes&remainingMembers=2%2B&insurance=kokuho&pension=unknown&realEstate=yes",
            "/guide/moving-in/plan?eventDate=2027-04-01&children=both&dog=yes&print=true",
        })
        {
            var response = await page.OpenAsync(path);
            Assert.True(response!.Ok, $"{path}: {response.Status}");
            await Accessibility.AssertAccessibleAsync(page, $"{language} {path}");
        }
        // Error states: a wrong date, and a question left unanswered.
        await page.OpenAsync("/guide/birth?eventDate=11%2F10&step=1");
        await page.Locator(".error-summary").WaitForAsync();
        await Accessibility.AssertAccessibleAsync(page, $"{language} guide date error");
        await page.OpenAsync("/guide/birth?eventDate=2026-11-10&ward=kita&step=3");
        await page.Locator(".error-summary").WaitForAsync();
        await Accessibility.AssertAccessibleAsync(page, $"{language} guide unanswered");
    }

    [Fact]
    public async Task A_new_parent_chooses_birth_answers_sees_a_dated_plan_and_downloads_the_calendar_file()
    {
        await using var context = await chromium.ResidentContextAsync(app, "ja");
        var page = await context.NewPageAsync();
        await page.OpenAsync("/");
        await page.Locator("main a[href='/guide']").ClickAsync();
        await page.Locator("main a[href='/guide/birth']").ClickAsync();
        await page.Locator("#eventdate").FillAsync("2026-11-10");
        await page.Locator("#ward").SelectOptionAsync("kita");
        await page.Locator("main form button[type=submit]").ClickAsync();

        var answers = new Dictionary<string, string> { ["bornAbroad"] = "no", ["insurance"] = "kokuho", ["childAllowance"] = "new", ["lowBirthWeight"] = "unknown", ["singleParent"] = "no" };
        while (!page.Url.Contains("/plan", StringComparison.Ordinal))
        {
            var key = await page.Locator("main form input[type=radio]").First.GetAttributeAsync("name");
            // Residents click the label, as they would on a phone.
            await page.Locator($"label[for='{await page.Locator($"input[name='{key}'][value='{answers[key!]}']").GetAttributeAsync("id")}']").ClickAsync();
            await page.FollowAsync(() => page.Locator("main form button[type=submit]").ClickAsync());
        }

        Assert.Contains("出生", await page.Locator("main h1").InnerTextAsync());
        var birth = page.Locator("li.plan-item[data-slug='shussei-todoke-kita']");
        Assert.Contains("2026-11-24", await birth.InnerTextAsync());
        Assert.Contains("令和8年11月24日", await birth.InnerTextAsync());
        Assert.Contains("要確認", await page.Locator("li.plan-item[data-slug='teitaiju-kita'] .badge").InnerTextAsync());
        Assert.True(await page.Locator("#bring + ul li").CountAsync() >= 3);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a[href*='plan.ics']").ClickAsync());
        Assert.EndsWith(".ics", download.SuggestedFilename, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Contains("BEGIN:VEVENT", text);
        Assert.Contains("DTSTART;VALUE=DATE:20261124", text);
        Assert.Contains("期限：出生届", text);
    }

    [Fact]
    public async Task The_search_box_suggests_procedures_as_you_type()
    {
        await using var context = await chromium.ResidentContextAsync(app, "ja");
        var page = await context.NewPageAsync();
        await page.OpenAsync("/search");
        await page.Locator("#q").PressSequentiallyAsync("じどうてあ");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#q-suggestions option').length > 0");
        var suggestions = await page.Locator("#q-suggestions option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Contains("児童手当 認定請求", suggestions);
        Assert.Equal(suggestions.Distinct().Count(), suggestions.Length);
    }
}
