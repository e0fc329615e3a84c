using System.Net;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Platform.Audit;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

public abstract class ResidentSignInTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    [Fact]
    public async Task Card_sign_in_through_the_demo_provider_fills_the_profile_with_verified_fields()
    {
        using var browser = await SignInWithDemoProviderAsync("newborn-parent");
        var profile = await browser.GetAsync("/account/profile");
        Assert.Equal(HttpStatusCode.OK, profile.Status);
        var name = profile.Document.QuerySelector("#input-name")!;
        Assert.Equal("田中 さくら", name.GetAttribute("value"));
        Assert.True(name.HasAttribute("readonly"));
        Assert.Equal("南区", profile.Document.QuerySelector("#input-ward")!.GetAttribute("value"));
        Assert.Equal("港町", profile.Document.QuerySelector("#input-town")!.GetAttribute("value"));
        Assert.Equal("7-8-9", profile.Document.QuerySelector("#input-block")!.GetAttribute("value"));
        Assert.Contains("マイナンバーカードでログインしています", profile.Text);
        Assert.Contains("田中 ひなた", profile.Text);

        var resident = await ResidentAsync(DemoIdp.ProviderName, "newborn-parent");
        Assert.Equal([ProfileFields.Address, ProfileFields.BirthDate, ProfileFields.Name, ProfileFields.Sex], resident.VerifiedFields);
        Assert.Equal(new DateOnly(1992, 4, 1), resident.BirthDate);
        Assert.Equal("female", resident.Sex);
        Assert.Equal(Assurance.High, resident.LastAssurance);
        var signIns = await WithDb(db => db.AuditEntries.CountAsync(e => e.Action == "resident.signin" && e.Subject == $"resident:{resident.Id}"));
        Assert.True(signIns >= 1);
    }

    [Fact]
    public async Task Local_id_sign_in_at_the_demo_provider_is_low_assurance_and_verifies_nothing()
    {
        using var browser = await SignInWithDemoProviderAsync("no-card", DemoIdp.LocalMethod);
        var profile = await browser.GetAsync("/account/profile");
        Assert.Contains("メールアドレスで", profile.Text);
        Assert.False(profile.Document.QuerySelector("#input-name")!.HasAttribute("readonly"));
        var resident = await ResidentAsync(DemoIdp.ProviderName, "no-card");
        Assert.Empty(resident.VerifiedFields);
        Assert.Equal(Assurance.Low, resident.LastAssurance);
    }

    [Fact]
    public async Task A_persona_without_a_card_cannot_choose_card_sign_in()
    {
        using var browser = App.Browser();
        var chooser = await browser.GetAsync("/account/signin/card");
        var again = await browser.SubmitAsync(chooser, fields: new Dictionary<string, string> { ["Persona"] = "no-card", ["Method"] = "card" });
        Assert.Equal("/demo-idp/authorize", again.Url.AbsolutePath);
        Assert.Contains("マイナンバーカードを持っていません", again.Text);
    }

    [Fact]
    public async Task Cancelling_at_the_provider_returns_to_sign_in_with_an_explanation()
    {
        using var browser = App.Browser();
        var chooser = await browser.GetAsync("/account/signin/card");
        var form = chooser.Form();
        var response = await browser.PostFormAsync(
            new Uri(chooser.Url, "?handler=Cancel").ToString(),
            form.Elements.OfType<AngleSharp.Html.Dom.IHtmlInputElement>().Where(i => i.Type == "hidden").ToDictionary(i => i.Name!, i => i.Value));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=access_denied", response.Headers.Location!.Query);
        var back = await browser.GetAsync(response.Headers.Location.ToString());
        Assert.Equal("/account/signin", back.Url.AbsolutePath);
        Assert.Contains("ログインできませんでした", back.Text);
    }

    [Fact]
    public async Task Verified_fields_cannot_be_changed_by_posting_them_but_the_rest_can()
    {
        using var browser = await SignInWithDemoProviderAsync("single-adult");
        var profile = await browser.GetAsync("/account/profile");
        var saved = await browser.SubmitAsync(profile, "form[action*='handler=Save']", new Dictionary<string, string>
        {
            ["Input.Name"] = "別人 太郎",
            ["Input.City"] = "よそ市",
            ["Input.NameKana"] = "さとう けんいち",
            ["Input.PostalCode"] = "１００ー０１０１",
            ["Input.Phone"] = "０９０-２２２２-３３３３",
            ["Input.Building"] = "みどりハイツ 305",
        });
        Assert.Contains("保存しました", saved.Text);
        var resident = await ResidentAsync(DemoIdp.ProviderName, "single-adult");
        Assert.Equal("佐藤 健一", resident.Name);
        Assert.Equal("みどり市", resident.City);
        Assert.Equal("サトウ ケンイチ", resident.NameKana);
        Assert.Equal("100-0101", resident.PostalCode);
        Assert.Equal("090-2222-3333", resident.Phone);
        Assert.Equal("みどりハイツ 305", resident.Building);
    }

    [Fact]
    public async Task Invalid_profile_input_is_explained_in_the_residents_language_and_nothing_is_saved()
    {
        using var browser = await SignInWithDemoProviderAsync("expecting-couple");
        await browser.GetAsync("/lang/en?returnUrl=%2F");
        var profile = await browser.GetAsync("/account/profile");
        var result = await browser.SubmitAsync(profile, "form[action*='handler=Save']", new Dictionary<string, string>
        {
            ["Input.NameKana"] = "Suzuki",
            ["Input.PostalCode"] = "12-34",
            ["Input.Phone"] = "12345",
        });
        Assert.Equal(HttpStatusCode.OK, result.Status);
        var summary = result.Document.QuerySelector(".error-summary")!.TextContent;
        Assert.Contains("Enter the reading in katakana.", summary);
        Assert.Contains("Enter a 7-digit postcode", summary);
        Assert.Contains("Enter a phone number", summary);
        Assert.Equal("true", result.Document.QuerySelector("#input-postalcode")!.GetAttribute("aria-invalid"));
        Assert.NotNull(result.Document.QuerySelector("a[href='#input-postalcode']"));
        var resident = await ResidentAsync(DemoIdp.ProviderName, "expecting-couple");
        Assert.Equal("100-0202", resident.PostalCode);
        Assert.Equal("スズキ ミサキ", resident.NameKana);
    }

    [Fact]
    public async Task Household_members_are_added_and_removed_and_only_ones_own()
    {
        using var browser = await SignInWithDemoProviderAsync("senior");
        var profile = await browser.GetAsync("/account/profile");
        var added = await browser.SubmitAsync(profile, "form[action*='handler=AddMember']", new Dictionary<string, string>
        {
            ["Member.Name"] = "伊藤 一",
            ["Member.NameKana"] = "いとう はじめ",
            ["Member.Relationship"] = "child",
            ["Member.BirthDate"] = "1975-05-05",
        });
        Assert.Contains("伊藤 一", added.Text);
        var senior = await ResidentAsync(DemoIdp.ProviderName, "senior");
        var member = Assert.Single(senior.Household);
        Assert.Equal("イトウ ハジメ", member.NameKana);

        // Another resident cannot remove it: the id is not in their household.
        using var other = await SignInWithDemoProviderAsync("bereaved");
        var otherProfile = await other.GetAsync("/account/profile");
        var token = otherProfile.Document.QuerySelector("form[action*='handler=AddMember'] input[name=__af]")!.GetAttribute("value")!;
        using var attempt = await other.PostFormAsync("/account/profile?handler=RemoveMember", new Dictionary<string, string> { ["memberId"] = member.Id.ToString(), ["__af"] = token });
        Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
        Assert.Single((await ResidentAsync(DemoIdp.ProviderName, "senior")).Household);

        var page = await browser.GetAsync("/account/profile");
        var removed = await browser.SubmitAsync(page, "form[action*='handler=RemoveMember']");
        Assert.Contains("削除しました", removed.Text);
        Assert.Empty((await ResidentAsync(DemoIdp.ProviderName, "senior")).Household);
    }

    [Fact]
    public async Task Signing_out_from_the_header_ends_the_session_and_is_audited()
    {
        using var browser = await SignInWithDemoProviderAsync("expecting-couple");
        var profile = await browser.GetAsync("/account/profile");
        var home = await browser.SubmitAsync(profile, "header form[action='/account/signout']");
        Assert.Equal("/", home.Url.AbsolutePath);
        Assert.NotNull(home.Document.QuerySelector("header a[href='/account/signin']"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/account/profile", maxRedirects: 0)).Status);
        var id = (await ResidentAsync(DemoIdp.ProviderName, "expecting-couple")).Id;
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == "resident.signout" && e.Actor == $"resident:{id}")));
    }

    [Fact]
    public async Task Profile_requires_sign_in()
    {
        using var browser = App.Browser();
        var page = await browser.GetAsync("/account/profile", maxRedirects: 0);
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith("/account/signin", page.Response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_resident_downloads_their_data_and_deletes_their_account()
    {
        using var browser = await SignInWithDemoProviderAsync("bereaved");
        var data = await browser.GetAsync("/account/data");
        Assert.Contains("渡辺 洋子", data.Text);
        using var download = await browser.Http.GetAsync("/account/data?handler=Download", Ct);
        Assert.Equal("application/json", download.Content.Headers.ContentType!.MediaType);
        var json = await download.Content.ReadAsStringAsync(Ct);
        Assert.Contains("渡辺 洋子", json);
        Assert.Contains("渡辺 正", json);

        var refused = await browser.SubmitAsync(data, "form[action*='handler=Delete']");
        Assert.Contains("チェックを入れてください", refused.Text);

        var id = (await ResidentAsync(DemoIdp.ProviderName, "bereaved")).Id;
        var gone = await browser.SubmitAsync(refused, "form[action*='handler=Delete']", new Dictionary<string, string> { ["Confirm"] = "true" });
        Assert.Equal("/account/deleted", gone.Url.AbsolutePath);
        Assert.False(await WithDb(db => db.Residents.AnyAsync(r => r.Id == id)));
        Assert.False(await WithDb(db => db.HouseholdMembers.AnyAsync(m => m.ResidentId == id)));
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(e => e.Action == "resident.deleted" && e.Subject == $"resident:{id}")));
        var after = await browser.GetAsync("/account/profile", maxRedirects: 0);
        Assert.Equal(HttpStatusCode.Redirect, after.Status);

        // Signing in again with the card starts a fresh profile from the card's data.
        using var again = await SignInWithDemoProviderAsync("bereaved");
        var fresh = await ResidentAsync(DemoIdp.ProviderName, "bereaved");
        Assert.NotEqual(id, fresh.Id);
        Assert.Equal("渡辺 洋子", fresh.Name);
        Assert.Empty(fresh.Household);
        var chain = await WithDb(db => AuditLog.VerifyAsync(db));
        Assert.True(chain.Intact);
    }
}

public sealed class ResidentSignInTests_Sqlite(SqliteApp app) : ResidentSignInTests<SqliteApp>(app);

public sealed class ResidentSignInTests_Postgres(PostgresApp app) : ResidentSignInTests<PostgresApp>(app);
