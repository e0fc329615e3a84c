using System.Globalization;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Madoguchi.BrowserTests;

/// <summary>Counters in a real browser: the kiosk, the live board and phone view, booking with its reminder, axe in three languages.</summary>
public sealed class CountersBrowserTests(SqliteApp app, ChromiumFixture chromium) : IClassFixture<SqliteApp>, IClassFixture<ChromiumFixture>
{
    private string NextBookableDate()
    {
        var calendar = app.Services.GetRequiredService<CityCalendar>();
        return calendar.NextOpenDay(calendar.Today.AddDays(2)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    [InlineData("easy")]
    public async Task Counter_pages_have_no_axe_violations(string language)
    {
        await using var context = await chromium.ResidentContextAsync(app, language, width: 360);
        var page = await context.NewPageAsync();
        foreach (var path in new[] { "/counters", "/counters/higashi", "/counters/higashi/kiosk", "/counters/higashi/board", $"/counters/higashi/book?service=higashi-address&date={NextBookableDate()}" })
        {
            var response = await page.OpenAsync(path);
            Assert.True(response!.Ok, $"{path}: {response.Status}");
            await Accessibility.AssertAccessibleAsync(page, $"{language} {path}");
        }
        await page.OpenAsync("/counters/higashi/kiosk");
        await page.Locator("button[value='higashi-certificates']").ClickAsync();
        await page.ArriveAsync("**/tickets/**");
        await Accessibility.AssertAccessibleAsync(page, $"{language} printed ticket");
        await page.OpenAsync(page.Url.Replace("?kiosk=true", "", StringComparison.Ordinal));
        await page.Locator("#email").FillAsync("wrong");
        await page.Locator("form[action*='handler=Notify'] button").ClickAsync();
        await page.Locator(".error-summary").WaitForAsync();
        await Accessibility.AssertAccessibleAsync(page, $"{language} phone ticket with an error");

        await page.OpenAsync($"/counters/higashi/book?service=higashi-insurance&date={NextBookableDate()}");
        await page.Locator("input[name=start]:not([disabled])").First.CheckAsync();
        await page.Locator("#email").FillAsync($"axe-{language}@example.jp");
        await page.Locator("form[method=post] button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/appointments/**");
        await Accessibility.AssertAccessibleAsync(page, $"{language} appointment");
    }

    [Fact]
    public async Task A_walk_in_takes_a_ticket_at_the_kiosk_and_sees_it_called_on_the_board_and_on_the_phone()
    {
        await using var kioskContext = await chromium.ResidentContextAsync(app, "ja", width: 1024);
        var kiosk = await kioskContext.NewPageAsync();
        await kiosk.OpenAsync("/counters/nishi/kiosk");
        await kiosk.Locator("button[value='nishi-koseki']").ClickAsync();
        await kiosk.ArriveAsync("**/tickets/**");
        var number = await kiosk.Locator("#ticket-number").InnerTextAsync();
        Assert.Matches("^B-\\d{3}$", number);
        Assert.True(await kiosk.Locator("img.ticket-qr").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        var phoneUrl = kiosk.Url.Replace("?kiosk=true", "", StringComparison.Ordinal);

        await using var boardContext = await chromium.ResidentContextAsync(app, "ja", width: 1280);
        var board = await boardContext.NewPageAsync();
        await board.OpenAsync("/counters/nishi/board");
        await using var phoneContext = await chromium.ResidentContextAsync(app, "ja");
        var phone = await phoneContext.NewPageAsync();
        await phone.OpenAsync(phoneUrl);
        Assert.Contains("前に", await phone.Locator("#ticket-status").InnerTextAsync());
        // Both pages have their live connection open before the call.
        await board.Locator("html[data-live=on]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await phone.Locator("html[data-live=on]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        await using var staffContext = await chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), Locale = "ja-JP" });
        var staff = await staffContext.NewPageAsync();
        await staff.OpenAsync("/staff/login");
        await staff.Locator("#input-loginid").FillAsync("kacho");
        await staff.Locator("#input-password").FillAsync(DemoPersonas.DemoStaffPassword);
        await staff.Locator("main button[type=submit]").ClickAsync();
        await staff.ArriveAsync("**/staff/login/code");
        await staff.Locator("#code").FillAsync(await staff.Locator("#demo-code").InnerTextAsync());
        await staff.Locator("main button[type=submit]").ClickAsync();
        await staff.ArriveAsync("**/staff");
        await staff.OpenAsync("/staff/counters/nishi-3");
        await staff.Locator("#call-next").ClickAsync();
        await staff.ArriveAsync("**result=called");

        // No reload: the board and the phone update from the event stream.
        await board.Locator("tr[data-counter='nishi-3'] .board-number").Filter(new LocatorFilterOptions { HasText = number }).WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        await phone.Locator("#ticket-status").Filter(new LocatorFilterOptions { HasText = "3番窓口" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
    }

    [Fact]
    public async Task A_resident_books_a_slot_and_receives_the_confirmation_and_the_reminder()
    {
        await using var context = await chromium.ResidentContextAsync(app, "ja");
        var page = await context.NewPageAsync();
        await page.OpenAsync("/counters");
        await page.Locator("main a[href='/counters/minami']").ClickAsync();
        await page.Locator("a[href='/counters/minami/book?service=minami-mynumber']").ClickAsync();
        await page.Locator("#date").FillAsync(NextBookableDate());
        await page.Locator("main form[method=get] button").ClickAsync();
        await page.Locator("input[name=start]:not([disabled])").First.CheckAsync();
        await page.Locator("#email").FillAsync("reminded@example.jp");
        await page.Locator("#purpose").FillAsync("マイナンバーカードの受け取り");
        await page.Locator("form[method=post] button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/appointments/**");
        Assert.Contains("予約済み", await page.Locator("#appointment-status").InnerTextAsync());

        var confirmation = await Mailbox.WaitForAsync(app.MailFolder, m => m.To.ToString().Contains("reminded@example.jp", StringComparison.Ordinal));
        Assert.Contains(new Uri(page.Url).AbsolutePath, confirmation.TextBody);
        // The reminder is due at 09:00 the day before: let it fall due now, as the morning before would.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Madoguchi.Web.Platform.Data.AppDb>();
            var reminder = db.OutboxMessages.Single(m => m.Payload.Contains("reminded@example.jp") && m.NextAttemptAt > DateTime.UtcNow);
            reminder.NextAttemptAt = DateTime.UtcNow;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var reminderMail = await Mailbox.WaitForAsync(app.MailFolder, m => m.To.ToString().Contains("reminded@example.jp", StringComparison.Ordinal) && (m.Subject ?? "").Contains("明日", StringComparison.Ordinal));
        Assert.Contains(new Uri(page.Url).AbsolutePath, reminderMail.TextBody);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a[href$='.ics']").ClickAsync());
        Assert.Contains("BEGIN:VEVENT", await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken));
    }
}
