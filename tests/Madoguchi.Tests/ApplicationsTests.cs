using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

public abstract class ApplicationsTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private static Dictionary<string, string> Next(params (string Key, string Value)[] fields)
    {
        var values = fields.ToDictionary(f => f.Key, f => f.Value);
        values["action"] = "next";
        return values;
    }

    /// <summary>Starts an application from the procedure's apply page and returns the first form page.</summary>
    private static async Task<Browser.Page> StartAsync(Browser browser, string procedureSlug)
    {
        var apply = await browser.GetAsync($"/apply/{procedureSlug}");
        Assert.Equal(HttpStatusCode.OK, apply.Status);
        var first = await browser.SubmitAsync(apply, "main form");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Matches("^/applications/[0-9a-f-]{36}/edit$", first.Url.AbsolutePath);
        return first;
    }

    private static string? Value(Browser.Page page, string id) => page.Document.QuerySelector<IHtmlInputElement>("#" + id)?.Value;

    private static Guid IdOf(Browser.Page page) => Guid.Parse(page.Url.AbsolutePath.Split('/')[2]);

    [Fact]
    public async Task A_card_persona_applies_for_the_child_allowance_pre_filled_and_follows_it_in_my_applications()
    {
        using var browser = await SignInWithDemoProviderAsync("newborn-parent");
        var page = await StartAsync(browser, "jido-teate-minami");
        var id = IdOf(page);

        // 基本4情報 from the card are shown, not editable; the phone is pre-filled and marked.
        Assert.Contains("田中 さくら", page.Text);
        Assert.Contains("マイナンバーカードの情報", page.Text);
        Assert.Null(page.Document.QuerySelector("input[name='f.applicant.name']"));
        Assert.Equal("090-1111-0004", Value(page, "f-phone"));

        // A locked answer posted anyway is ignored.
        page = await browser.SubmitAsync(page, "main form", Next(("f.lives_with_children", "yes"), ("f.applicant.name", "別人 太郎")));
        Assert.EndsWith("/edit/children", page.Url.AbsolutePath);
        // The household's child is already there.
        Assert.Equal("田中 ひなた", Value(page, "f-children-0-name"));
        Assert.Equal("2026", Value(page, "f-children-0-birthdate-year"));
        page = await browser.SubmitAsync(page, "main form", Next());
        Assert.EndsWith("/edit/spouse", page.Url.AbsolutePath);

        // Saying there is a spouse brings the spouse's questions onto the same page, the spouse pre-filled.
        page = await browser.SubmitAsync(page, "main form", Next(("f.has_spouse", "yes")));
        Assert.EndsWith("/edit/spouse", page.Url.AbsolutePath);
        Assert.Equal("田中 翔太", Value(page, "f-spouse-name"));
        page = await browser.SubmitAsync(page, "main form", Next(("f.higher_income", "yes")));
        page = await browser.SubmitAsync(page, "main form", Next(("f.insurance", "kokuho")));
        Assert.EndsWith("/edit/bank", page.Url.AbsolutePath);

        // Bad answers are kept and explained in Japanese, each linked to its input.
        page = await browser.SubmitAsync(page, "main form", Next(("f.bank.bank", "12"), ("f.bank.branch", "001"), ("f.bank.number", "1234567"), ("f.bank.holder", "tanaka")));
        Assert.EndsWith("/edit/bank", page.Url.AbsolutePath);
        var summary = page.Document.QuerySelectorAll(".error-summary a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("#f-bank-bank", summary);
        Assert.Contains("#f-bank-holder", summary);
        Assert.Contains("4桁の数字", page.Text);
        Assert.NotNull(page.Document.QuerySelector("#f-bank-bank"));
        Assert.Equal("001", Value(page, "f-bank-branch"));

        page = await browser.SubmitAsync(page, "main form", Next(("f.bank.bank", "0001"), ("f.bank.holder", "たなか さくら")));
        Assert.EndsWith("/check", page.Url.AbsolutePath);
        Assert.Contains("タナカ サクラ", page.Text);
        Assert.Contains("田中 さくら", page.Text);
        Assert.DoesNotContain("別人", page.Text);

        // Without the declaration nothing is filed.
        var refused = await browser.SubmitAsync(page, "main form");
        Assert.EndsWith("/check", refused.Url.AbsolutePath);
        Assert.Contains("チェックを入れてください", refused.Text);

        var done = await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Declaration"] = "yes" });
        Assert.Equal($"/applications/{id}", done.Url.AbsolutePath);
        Assert.Contains("申請を受け付けました", done.Text);
        var reference = done.Document.QuerySelector("#reference")!.TextContent.Trim();
        Assert.Matches("^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$", reference);
        Assert.Equal("受付済み", done.Document.QuerySelector("#status")!.TextContent.Trim());

        var mine = await browser.GetAsync("/applications");
        Assert.Contains(reference, mine.Text);
        Assert.Contains("児童手当", mine.Text);

        var mail = await Mailbox.WaitForAsync(App.MailFolder, m => m.TextBody?.Contains(reference, StringComparison.Ordinal) == true);
        Assert.Contains("受付済み", mail.Subject);

        var stored = await WithDb(db => db.Applications.Include(a => a.Events).SingleAsync(a => a.Id == id));
        var answers = JsonNode.Parse(stored.Data)!;
        Assert.Equal("田中 さくら", answers["applicant"]!["name"]!.GetValue<string>());
        Assert.Equal("1234567", answers["bank"]!["number"]!.GetValue<string>());
        Assert.Equal(["draft", "received"], stored.Events.OrderBy(e => e.At).Select(e => e.Status));
        Assert.Equal("minami", stored.Office);
    }
}

public sealed class ApplicationsTests_Sqlite(SqliteApp app) : ApplicationsTests<SqliteApp>(app);

public sealed class ApplicationsTests_Postgres(PostgresApp app) : ApplicationsTests<PostgresApp>(app);
