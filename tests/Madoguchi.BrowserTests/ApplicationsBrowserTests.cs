using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Payments.LocalProvider;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Madoguchi.BrowserTests;

/// <summary>Online applications in a real browser: pre-filled journeys, pay-and-submit with the tab closed, the no-writing counter, axe in three languages.</summary>
public sealed class ApplicationsBrowserTests(SqliteApp app, ChromiumFixture chromium) : IClassFixture<SqliteApp>, IClassFixture<ChromiumFixture>
{
    private static Task NextAsync(IPage page) =>
        page.FollowAsync(() => page.Locator("main form button[value=next]").ClickAsync());

    private static Task ChooseAsync(IPage page, string name, string value) =>
        page.Locator($"label[for='{ErrorIdFor(name)}-{value}']").ClickAsync();

    private static string ErrorIdFor(string name) => name.Replace('.', '-').ToLowerInvariant();

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    [InlineData("easy")]
    public async Task Application_pages_have_no_axe_violations(string language)
    {
        await using var context = await chromium.ResidentContextAsync(app, language, width: 360);
        var page = await context.NewPageAsync();
        await Accessibility.SignInResidentAsync(page, "newborn-parent");
        async Task CheckAsync(string what) => await Accessibility.AssertAccessibleAsync(page, $"{language} {what}");

        await page.OpenAsync("/applications");
        await CheckAsync("my applications");
        await page.OpenAsync("/apply/jido-teate-minami");
        await CheckAsync("apply");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/edit");
        await CheckAsync("page 1: person, address, phone, yes/no");
        await NextAsync(page);
        await page.Locator(".error-summary").WaitForAsync();
        await CheckAsync("page 1 with errors");
        await page.Locator("label[for='f-lives_with_children-0']").ClickAsync();
        await NextAsync(page);
        await CheckAsync("page 2: repeating group with dates");
        await NextAsync(page);
        await page.Locator("label[for='f-has_spouse-0']").ClickAsync();
        await NextAsync(page);
        await CheckAsync("page 3: spouse appears");
        await page.Locator("label[for='f-higher_income-0']").ClickAsync();
        await NextAsync(page);
        await CheckAsync("page 4: choice");
        await page.Locator("label[for='f-insurance-1']").ClickAsync();
        await NextAsync(page);
        await CheckAsync("page 5: bank account");
        await page.Locator("#f-bank-bank").FillAsync("0001");
        await page.Locator("#f-bank-branch").FillAsync("001");
        await page.Locator("#f-bank-number").FillAsync("1234567");
        await page.Locator("#f-bank-holder").FillAsync("タナカ サクラ");
        await NextAsync(page);
        await page.ArriveAsync("**/check");
        await CheckAsync("check your answers");
        await page.Locator("label[for='declaration-yes']").ClickAsync();
        await page.Locator("#submit").ClickAsync();
        await page.Locator("#received").WaitForAsync();
        await CheckAsync("received");

        await page.OpenAsync("/apply/kodomo-iryo-minami");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/edit");
        await NextAsync(page);
        await CheckAsync("file upload and multi-part person");
        await page.OpenAsync("/apply/inu-henko-minami");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/edit");
        await NextAsync(page);
        await CheckAsync("multiple choice, address and a Japanese-era date");
        await page.OpenAsync("/guide/birth/plan?eventDate=2026-11-10&ward=minami&bornAbroad=no&insurance=employer&childAllowance=new&lowBirthWeight=no&singleParent=no");
        await page.Locator("#bundle-start button").ClickAsync();
        await page.ArriveAsync("**/applications/bundle/**");
        await CheckAsync("bundle");
        await page.OpenAsync("/applications");
        await CheckAsync("my applications with entries");

        await page.OpenAsync("/apply/jumin-hyo-minami");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/edit");
        await NextAsync(page);
        await page.Locator("label[for='f-scope-0']").ClickAsync();
        await page.Locator("#f-copies").FillAsync("1");
        await page.Locator("label[for='f-purpose-0']").ClickAsync();
        await NextAsync(page);
        await page.Locator("label[for='declaration-yes']").ClickAsync();
        await page.Locator("#submit").ClickAsync();
        await page.ArriveAsync("**/local-pay/pay/**");
        await CheckAsync("provider's card page");
    }

    [Fact]
    public async Task A_persona_applies_for_the_child_allowance_pre_filled_and_sees_it_in_my_applications()
    {
        await using var context = await chromium.ResidentContextAsync(app, "ja");
        var page = await context.NewPageAsync();
        await Accessibility.SignInResidentAsync(page, "newborn-parent");
        await page.OpenAsync("/procedures/jido-teate-minami");
        await page.Locator("main a[href='/apply/jido-teate-minami']").ClickAsync();
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/edit");
        // Pre-filled: the card's name is shown, not asked; the phone is filled in.
        Assert.Contains("田中 さくら", await page.Locator("#f-applicant").InnerTextAsync());
        Assert.Equal("090-1111-0004", await page.Locator("#f-phone").InputValueAsync());
        await page.Locator("label[for='f-lives_with_children-0']").ClickAsync();
        await NextAsync(page);
        Assert.Equal("田中 ひなた", await page.Locator("#f-children-0-name").InputValueAsync());
        await NextAsync(page);
        await page.Locator("label[for='f-has_spouse-1']").ClickAsync();
        await NextAsync(page);
        await page.Locator("label[for='f-insurance-0']").ClickAsync();
        await NextAsync(page);
        await page.Locator("#f-bank-bank").FillAsync("0001");
        await page.Locator("#f-bank-branch").FillAsync("001");
        await page.Locator("#f-bank-number").FillAsync("7654321");
        await page.Locator("#f-bank-holder").FillAsync("たなか さくら");
        await NextAsync(page);
        await page.Locator("label[for='declaration-yes']").ClickAsync();
        await page.Locator("#submit").ClickAsync();
        var reference = (await page.Locator("#reference").InnerTextAsync()).Trim();
        await page.Locator("main a[href='/applications']").ClickAsync();
        var item = page.Locator("#applications li", new PageLocatorOptions { HasText = reference });
        Assert.Contains("児童手当", await item.InnerTextAsync());
        Assert.Contains("受付済み", await item.InnerTextAsync());
    }

    [Fact]
    public async Task A_mail_request_paid_with_the_tab_closed_before_returning_still_ends_submitted_and_paid()
    {
        await using var context = await chromium.ResidentContextAsync(app, "ja");
        var page = await context.NewPageAsync();
        await Accessibility.SignInResidentAsync(page, "single-adult");
        await page.OpenAsync("/apply/jumin-hyo-chuo");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.ArriveAsync("**/edit");
        var id = page.Url.Split('/')[4];
        await NextAsync(page);
        await page.Locator("label[for='f-scope-1']").ClickAsync();
        await page.Locator("#f-copies").FillAsync("2");
        await page.Locator("label[for='f-purpose-1']").ClickAsync();
        await NextAsync(page);
        Assert.Contains("600円", await page.Locator("#fee").InnerTextAsync());
        await page.Locator("label[for='declaration-yes']").ClickAsync();
        await page.Locator("#submit").ClickAsync();
        await page.ArriveAsync("**/local-pay/pay/**");

        // The resident pays and closes the tab: the way back to Madoguchi never happens.
        await page.RouteAsync("**/paid", route => route.AbortAsync());
        await page.Locator("#card").FillAsync(TestCards.Success);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.CloseAsync();

        var later = await context.NewPageAsync();
        for (var i = 0; i < 50; i++)
        {
            await later.OpenAsync($"/applications/{id}");
            if ((await later.Locator("#status").InnerTextAsync()).Trim() == "受付済み") break;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        Assert.Equal("受付済み", (await later.Locator("#status").InnerTextAsync()).Trim());
        Assert.Contains("支払い済み", await later.Locator("#payment").InnerTextAsync());

        // The receipt, to print or save as PDF, in each language.
        await later.Locator("#receipt-link").ClickAsync();
        await later.ArriveAsync("**/receipt");
        Assert.Equal("600円", await later.Locator("#receipt-amount").InnerTextAsync());
        foreach (var language in new[] { "ja", "en", "easy" })
        {
            await later.OpenAsync($"/lang/{language}?returnUrl=/applications/{id}/receipt");
            await later.ArriveAsync("**/receipt");
            await Accessibility.AssertAccessibleAsync(later, $"{language} receipt");
        }
    }

    [Fact]
    public async Task A_clerk_serves_a_family_moving_in_at_the_counter_and_the_resident_signs_on_the_tablet()
    {
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), Locale = "ja-JP", ViewportSize = new ViewportSize { Width = 1024, Height = 1300 } });
        var page = await context.NewPageAsync();
        await Accessibility.SignInStaffAsync(page, "clerk");
        await page.Locator("main a[href='/staff/intake']").ClickAsync();
        await page.Locator("#card").SelectOptionAsync("moving-family");
        await page.Locator("main form button[type=submit]").First.ClickAsync();
        await page.Locator("#resident").WaitForAsync();
        await page.Locator("#eventid").SelectOptionAsync("moving-in");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.Locator("#eventdate").FillAsync("2026-11-20");
        await page.Locator("label[for='q-insurance-0']").ClickAsync();
        await page.Locator("label[for='q-children-2']").ClickAsync();
        await page.Locator("label[for='q-dog-1']").ClickAsync();
        await page.Locator("#fill").ClickAsync();
        await page.ArriveAsync("**/staff/intake/*");

        // Fill what the profile and the interview did not answer.
        var reason = page.Locator("input[name$='.reason'][value='moved-in']");
        await page.Locator($"label[for='{await reason.GetAttributeAsync("id")}']").ClickAsync();
        var date = (await page.Locator("input[name$='.change_date.year']").GetAttributeAsync("name"))![..^".year".Length];
        await page.Locator($"input[name='{date}.year']").FillAsync("2026");
        await page.Locator($"input[name='{date}.month']").FillAsync("11");
        await page.Locator($"input[name='{date}.day']").FillAsync("20");
        var lives = page.Locator("input[name$='.lives_with_children'][value='yes']");
        await page.Locator($"label[for='{await lives.GetAttributeAsync("id")}']").ClickAsync();
        await page.Locator("label[for='f-shared-has_spouse-0']").ClickAsync();
        await page.Locator("#f-shared-bank-bank").FillAsync("0009");
        await page.Locator("#f-shared-bank-branch").FillAsync("050");
        await page.Locator("#f-shared-bank-number").FillAsync("1112223");
        await page.Locator("#f-shared-bank-holder").FillAsync("タカハシ ナオキ");
        await page.Locator("#to-confirm").ClickAsync();
        // Having a spouse brings the income question onto the page; then on to the resident.
        var higher = page.Locator("input[name$='.higher_income'][value='yes']");
        await page.Locator($"label[for='{await higher.GetAttributeAsync("id")}']").ClickAsync();
        await page.Locator("#to-confirm").ClickAsync();
        await page.ArriveAsync("**confirm=true");

        await Accessibility.AssertAccessibleAsync(page, "counter confirmation shown to the resident");
        // The resident signs on the screen with a finger.
        var pad = page.Locator("canvas.signature-pad");
        await pad.ScrollIntoViewIfNeededAsync();
        var box = (await pad.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 20, box.Y + 40);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + 120, box.Y + 90, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.MoveAsync(box.X + 220, box.Y + 30, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        Assert.StartsWith("data:image/png;base64,", await page.Locator("input[name=Signature]").InputValueAsync(), StringComparison.Ordinal);
        await page.Locator("#submit").ClickAsync();
        await page.Locator("#intake-done").WaitForAsync();
        var done = await page.Locator("#intake-done").InnerTextAsync();
        Assert.Contains("児童手当", done);
        Assert.Contains("国民健康保険", done);
        Assert.Contains("受付済み", done);
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<Madoguchi.Web.Platform.Data.AppDb>();
        var signature = await db.Attachments.Where(a => a.FieldKey == "signature").Select(a => a.Content).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Single(signature);
        Assert.Equal("image/png", Madoguchi.Web.Features.Applications.AttachedFile.Sniff(signature[0])?.ContentType);
    }

    [Fact]
    public async Task A_case_is_returned_corrected_approved_by_two_approvers_and_its_notice_downloaded_and_counted()
    {
        await using var residentContext = await chromium.ResidentContextAsync(app, "ja");
        var resident = await residentContext.NewPageAsync();
        await Accessibility.SignInResidentAsync(resident, "newborn-parent");
        await resident.OpenAsync("/apply/kodomo-iryo-minami");
        await resident.Locator("main form button[type=submit]").ClickAsync();
        await resident.ArriveAsync("**/edit");
        await NextAsync(resident);
        await resident.Locator("label[for='f-insurance-0']").ClickAsync();
        await NextAsync(resident);
        await resident.Locator("label[for='declaration-yes']").ClickAsync();
        await resident.Locator("#submit").ClickAsync();
        var reference = (await resident.Locator("#reference").InnerTextAsync()).Trim();
        var caseUrl = resident.Url;

        // Each member of staff works in a browser of their own, closed at the end of the test.
        var contexts = new List<IBrowserContext>();
        async Task<IPage> StaffAsync(string loginId)
        {
            var context = await chromium.ResidentContextAsync(app, "ja");
            contexts.Add(context);
            var page = await context.NewPageAsync();
            await Accessibility.SignInStaffAsync(page, loginId);
            await page.OpenAsync("/staff/cases?status=open");
            await page.Locator("#cases a", new PageLocatorOptions { HasText = reference }).ClickAsync();
            return page;
        }

        // The caseworker finds it in the inbox and returns it for correction.
        var caseworker = await StaffAsync("caseworker");
        await caseworker.Locator("#return-comment").FillAsync("保険の種類をご確認ください。");
        await caseworker.Locator("#return button").ClickAsync();
        Assert.Equal("修正依頼", (await caseworker.Locator("#status").InnerTextAsync()).Trim());

        // The resident reads the note and corrects it.
        await resident.OpenAsync(caseUrl);
        Assert.Contains("保険の種類をご確認ください。", await resident.Locator("#return-note").InnerTextAsync());
        await resident.Locator("main a[href$='/edit']").ClickAsync();
        await NextAsync(resident);
        await resident.Locator("label[for='f-insurance-1']").ClickAsync();
        await NextAsync(resident);
        await resident.Locator("label[for='declaration-yes']").ClickAsync();
        await resident.Locator("#submit").ClickAsync();
        Assert.Equal("修正済み", (await resident.Locator("#status").InnerTextAsync()).Trim());

        // Review, proposal, then 係長 and 課長 approve what they see.
        await caseworker.ReloadedAsync();
        await caseworker.Locator("#start-review").ClickAsync();
        await caseworker.Locator("#text").FillAsync("子ども医療費の受給資格を認定します。");
        await caseworker.Locator("#propose button").ClickAsync();
        Assert.Equal("決裁中", (await caseworker.Locator("#status").InnerTextAsync()).Trim());
        foreach (var approver in new[] { "kakaricho", "kacho" })
        {
            var page = await StaffAsync(approver);
            await page.Locator("form.decide button[type=submit]").ClickAsync();
            Assert.NotNull(await page.Locator("#case-done").ElementHandleAsync());
            await page.Context.CloseAsync();
        }
        await caseworker.ReloadedAsync();
        Assert.Equal("承認", (await caseworker.Locator("#status").InnerTextAsync()).Trim());
        await caseworker.Locator("#complete").ClickAsync();

        // The resident downloads the notice; it is accessible.
        await resident.OpenAsync(caseUrl);
        await resident.Locator("#notice-link").ClickAsync();
        Assert.Contains("指令第", await resident.Locator("#notice-number").InnerTextAsync());
        Assert.Contains("受給資格を認定します", await resident.Locator("#notice-text").InnerTextAsync());
        await Accessibility.AssertAccessibleAsync(resident, "decision notice");

        // The dashboard counts the electronic decision.
        await using var adminContext = await chromium.ResidentContextAsync(app, "ja");
        var admin = await adminContext.NewPageAsync();
        await Accessibility.SignInStaffAsync(admin, "admin");
        await admin.OpenAsync("/staff/insights");
        Assert.Matches(@"（([1-9]\d*) / \1）", await admin.Locator("#kpi-electronic").InnerTextAsync());
        foreach (var context in contexts)
        {
            await context.DisposeAsync();
        }
    }
}
