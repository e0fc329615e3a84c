using System.Net;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

public abstract class LocalAccountTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    [Fact]
    public async Task A_resident_without_a_card_registers_confirms_the_email_and_signs_in_with_low_assurance()
    {
        var email = $"resident-{Guid.NewGuid():N}@example.jp";
        using var browser = App.Browser();
        var form = await browser.GetAsync("/account/register");
        var sent = await browser.SubmitAsync(form, fields: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "correct horse battery" });
        Assert.Contains("確認メールを送りました", sent.Text);

        // Before the link is opened, sign-in is refused with a reason.
        var signIn = await browser.GetAsync("/account/signin");
        var early = await browser.SubmitAsync(signIn, fields: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "correct horse battery" });
        Assert.Contains("メールアドレスの確認が済んでいません", early.Text);

        var mail = await Mailbox.WaitForAsync(App.MailFolder, m => m.To.ToString().Contains(email, StringComparison.Ordinal));
        Assert.Contains("メールアドレスの確認", mail.Subject);
        var verified = await browser.GetAsync(Mailbox.LinkIn(mail, "/account/verify"));
        Assert.Contains("メールアドレスを確認しました", verified.Text);

        var wrong = await browser.SubmitAsync(await browser.GetAsync("/account/signin"), fields: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "wrong password!" });
        Assert.Contains("正しくありません", wrong.Text);

        var profile = await browser.SubmitAsync(await browser.GetAsync("/account/signin"), fields: new Dictionary<string, string> { ["Input.Email"] = email.ToUpperInvariant(), ["Input.Password"] = "correct horse battery" });
        Assert.Equal("/account/profile", profile.Url.AbsolutePath);
        Assert.Contains("メールアドレスでログインしています", profile.Text);
        Assert.True(profile.Document.QuerySelector("#input-email")!.HasAttribute("readonly"));
    }

    [Fact]
    public async Task Registering_twice_makes_one_account_and_tells_the_owner_by_mail()
    {
        var email = $"twice-{Guid.NewGuid():N}@example.jp";
        using var browser = App.Browser();
        await browser.SubmitAsync(await browser.GetAsync("/account/register"), fields: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "first password 1" });
        var mail = await Mailbox.WaitForAsync(App.MailFolder, m => m.To.ToString().Contains(email, StringComparison.Ordinal));
        await browser.GetAsync(Mailbox.LinkIn(mail, "/account/verify"));

        var second = await browser.SubmitAsync(await browser.GetAsync("/account/register"), fields: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "attacker password" });
        Assert.Contains("確認メールを送りました", second.Text);
        await Mailbox.WaitForAsync(App.MailFolder, m => m.To.ToString().Contains(email, StringComparison.Ordinal) && (m.Subject ?? "").Contains("すでに登録", StringComparison.Ordinal));
        Assert.Equal(1, await WithDb(db => db.Residents.CountAsync(r => r.IdentityProvider == LocalAccounts.Provider && r.Subject == email)));

        // The first password still works; the second never took effect.
        var profile = await browser.SubmitAsync(await browser.GetAsync("/account/signin"), fields: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "first password 1" });
        Assert.Equal("/account/profile", profile.Url.AbsolutePath);
    }

    [Fact]
    public async Task A_forgotten_password_is_reset_by_a_mailed_link_that_works_once()
    {
        var email = $"forgot-{Guid.NewGuid():N}@example.jp";
        using var browser = App.Browser();
        await browser.SubmitAsync(await browser.GetAsync("/account/register"), fields: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "old password 123" });
        await browser.GetAsync(Mailbox.LinkIn(await Mailbox.WaitForAsync(App.MailFolder, m => m.To.ToString().Contains(email, StringComparison.Ordinal)), "/account/verify"));

        var unknown = await browser.SubmitAsync(await browser.GetAsync("/account/forgot"), fields: new Dictionary<string, string> { ["Email"] = $"nobody-{Guid.NewGuid():N}@example.jp" });
        var known = await browser.SubmitAsync(await browser.GetAsync("/account/forgot"), fields: new Dictionary<string, string> { ["Email"] = email });
        Assert.Equal(unknown.Document.QuerySelector("main")!.TextContent, known.Document.QuerySelector("main")!.TextContent);

        var mail = await Mailbox.WaitForAsync(App.MailFolder, m => m.To.ToString().Contains(email, StringComparison.Ordinal) && (m.Subject ?? "").Contains("再設定", StringComparison.Ordinal));
        var link = Mailbox.LinkIn(mail, "/account/reset");
        var form = await browser.GetAsync(link);
        var tooShort = await browser.SubmitAsync(form, fields: new Dictionary<string, string> { ["Password"] = "short" });
        Assert.Contains("10文字以上", tooShort.Text);
        var done = await browser.SubmitAsync(tooShort, fields: new Dictionary<string, string> { ["Password"] = "new password 456" });
        Assert.Contains("新しいパスワードを設定しました", done.Text);

        var reused = await browser.GetAsync(link);
        Assert.Contains("すでに使われています", reused.Text);
        var oldFails = await browser.SubmitAsync(await browser.GetAsync("/account/signin"), fields: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "old password 123" });
        Assert.Contains("正しくありません", oldFails.Text);
        var signedIn = await browser.SubmitAsync(await browser.GetAsync("/account/signin"), fields: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "new password 456" });
        Assert.Equal("/account/profile", signedIn.Url.AbsolutePath);
    }

    [Fact]
    public async Task Registration_input_is_validated()
    {
        using var browser = App.Browser();
        var result = await browser.SubmitAsync(await browser.GetAsync("/account/register"), fields: new Dictionary<string, string> { ["Input.Email"] = "not-an-email", ["Input.Password"] = "short" });
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("メールアドレスの形式が正しくありません", result.Text);
        Assert.Contains("10文字以上", result.Text);
    }

    [Fact]
    public async Task A_tampered_or_foreign_verification_link_is_refused()
    {
        using var browser = App.Browser();
        var page = await browser.GetAsync("/account/verify?token=CfDJ8-made-up");
        Assert.Contains("無効か、期限が切れています", page.Text);
    }
}

public sealed class LocalAccountTests_Sqlite(SqliteApp app) : LocalAccountTests<SqliteApp>(app);

public sealed class LocalAccountTests_Postgres(PostgresApp app) : LocalAccountTests<PostgresApp>(app);
