using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

/// <summary>Administrators change the catalogue in staff pages and through the staff API: draft, preview, publish, history, audit.</summary>
public abstract class CatalogEditingTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private async Task<List<string>> NamesFoundAsync(string q)
    {
        using var client = App.Api();
        var json = await CatalogTests<TApp>.GetJsonAsync(client, $"/api/v1/procedures?limit=50&q={Uri.EscapeDataString(q)}");
        return [.. json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()!)];
    }

    [Fact]
    public async Task A_draft_stays_private_until_published_and_every_version_is_kept()
    {
        var admin = await StaffSessionAsync("admin");
        var edit = await admin.GetAsync("/staff/catalog/procedures/inu-toroku-nishi");
        Assert.Equal(HttpStatusCode.OK, edit.Status);
        Assert.Equal("犬の登録（新規）", edit.Document.QuerySelector("#input-nameja")!.GetAttribute("value"));

        // A required field left empty is explained and nothing is stored.
        var invalid = await admin.SubmitAsync(edit, "form[action*='handler=Save']", new Dictionary<string, string> { ["Input.NameJa"] = "" });
        Assert.Contains("名称（日本語）を入力してください", invalid.Document.QuerySelector(".error-summary")!.TextContent);

        var saved = await admin.SubmitAsync(edit, "form[action*='handler=Save']", new Dictionary<string, string>
        {
            ["Input.NameJa"] = "飼い主登録（新規）",
            ["Input.Reading"] = "かいぬしとうろく",
            ["Input.DeadlineDays"] = "30",
        });
        Assert.Contains("下書きを保存しました", saved.Document.QuerySelector(".notice[role=status]")!.TextContent);
        Assert.DoesNotContain("inu-toroku-nishi", await NamesFoundAsync("飼い主登録"));

        var preview = await admin.GetAsync("/staff/catalog/procedures/inu-toroku-nishi/preview");
        Assert.Contains("飼い主登録（新規）", preview.Document.QuerySelector("h1")!.TextContent);

        var published = await admin.SubmitAsync(saved, "form[action*='handler=Publish']");
        Assert.Contains("公開しました", published.Document.QuerySelector(".notice[role=status]")!.TextContent);
        Assert.Contains("inu-toroku-nishi", await NamesFoundAsync("飼い主登録"));
        Assert.Contains("inu-toroku-nishi", await NamesFoundAsync("かいぬしとうろく"));
        // Untouched fields survived the round trip through the form.
        using var client = App.Api();
        var item = await CatalogTests<TApp>.GetJsonAsync(client, "/api/v1/procedures/inu-toroku-nishi");
        Assert.Equal(2, item.GetProperty("version").GetInt32());
        Assert.Equal("Registering a dog", item.GetProperty("content").GetProperty("name").GetProperty("en").GetString());
        Assert.Equal(3000, item.GetProperty("content").GetProperty("feeYen").GetInt32());
        Assert.Equal("狂犬病予防法第4条", item.GetProperty("content").GetProperty("legalBasis").GetString());

        var history = published.Document.QuerySelectorAll("#history tbody tr");
        Assert.Equal(2, history.Length);
        Assert.Contains("公開中", history[0].TextContent);
        Assert.Contains("過去の版", history[1].TextContent);

        // Version 1 comes back as a draft, then as version 3.
        var restored = await admin.SubmitAsync(published, "#history form");
        Assert.Equal("犬の登録（新規）", restored.Document.QuerySelector("#input-nameja")!.GetAttribute("value"));
        await admin.SubmitAsync(restored, "form[action*='handler=Publish']");
        Assert.DoesNotContain("inu-toroku-nishi", await NamesFoundAsync("飼い主登録"));

        var actions = await WithDb(db => db.AuditEntries.Where(a => a.Subject == "procedure:inu-toroku-nishi").Select(a => a.Action).ToListAsync(Ct));
        Assert.Equal(2, actions.Count(a => a == "catalog.published"));
        Assert.Equal(2, actions.Count(a => a == "catalog.draft-saved"));
    }

    [Fact]
    public async Task An_unsafe_link_is_refused()
    {
        var admin = await StaffSessionAsync("admin");
        var edit = await admin.GetAsync("/staff/catalog/procedures/suido");
        var refused = await admin.SubmitAsync(edit, "form[action*='handler=Save']", new Dictionary<string, string> { ["Input.OnlineUrl"] = "javascript:alert(1)" });
        Assert.NotNull(refused.Document.QuerySelector(".error-summary a[href='#input-onlineurl']"));
        Assert.False(await WithDb(db => db.CatalogDocuments.AnyAsync(d => d.Key == "suido" && d.Version == 2, Ct)));
    }

    [Fact]
    public async Task Synonyms_and_life_event_rules_are_edited_without_code()
    {
        var admin = await StaffSessionAsync("admin");
        Assert.Empty(await NamesFoundAsync("わんちゃん"));
        var synonyms = await admin.GetAsync("/staff/catalog/synonyms");
        var text = synonyms.Document.QuerySelector("textarea#text")!.TextContent;
        var bad = await admin.SubmitAsync(synonyms, "form[action*='handler=Save']", new Dictionary<string, string> { ["Text"] = text + "\nわんちゃん" });
        Assert.Contains("行目", bad.Document.QuerySelector(".error-summary")!.TextContent);
        var saved = await admin.SubmitAsync(synonyms, "form[action*='handler=Save']", new Dictionary<string, string> { ["Text"] = text + "\nわんちゃん, ワンちゃん => 犬の" });
        await admin.SubmitAsync(saved, "form[action*='handler=Publish']");
        Assert.Contains("inu-henko-chuo", await NamesFoundAsync("わんちゃん"));

        // The pregnancy event gets a new rule: expectant mothers with National Health Insurance also see 国保 加入届.
        var lifeEvent = await admin.GetAsync("/staff/catalog/life-events/pregnancy");
        var rules = lifeEvent.Document.QuerySelector("textarea#input-rules")!.TextContent;
        var wrong = await admin.SubmitAsync(lifeEvent, "form[action*='handler=Save']", new Dictionary<string, string> { ["Input.Rules"] = rules + "\nno-such-procedure | insurance=kokuho" });
        Assert.Contains("行目の規則", wrong.Document.QuerySelector(".error-summary")!.TextContent);
        var ok = await admin.SubmitAsync(lifeEvent, "form[action*='handler=Save']", new Dictionary<string, string> { ["Input.Rules"] = rules + "\nkokuho-kanyu | insurance=kokuho" });
        await admin.SubmitAsync(ok, "form[action*='handler=Publish']");

        using var client = App.Api();
        using var response = await client.PostAsJsonAsync("/api/v1/life-events/pregnancy/plan", new { eventDate = "2026-11-02", ward = "chuo", answers = new Dictionary<string, string> { ["insurance"] = "kokuho" } }, Ct);
        var plan = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Contains("kokuho-kanyu-chuo", plan.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()));
        // Questions came back unchanged through the form.
        var questions = await CatalogTests<TApp>.GetJsonAsync(client, "/api/v1/life-events/pregnancy");
        Assert.Equal(["insurance", "nursery"], questions.GetProperty("questions").EnumerateArray().Select(q => q.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Only_administrators_edit_the_catalogue()
    {
        var clerk = await SignInStaffAsync(App, "clerk");
        var page = await clerk.GetAsync("/staff/catalog");
        Assert.NotEqual(HttpStatusCode.OK, page.Status);
        var edit = await clerk.GetAsync("/staff/catalog/procedures/tennyu-chuo");
        Assert.NotEqual(HttpStatusCode.OK, edit.Status);

        using var client = App.Api();
        var content = new { code = "tennyu", name = new { ja = "転入届" }, summary = new { ja = "x" }, department = "shimin" };
        using var anonymous = await client.PutAsJsonAsync("/api/v1/staff/catalog/procedures/tennyu-chuo", content, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(client, new { staff = "caseworker" }));
        using var caseworker = await client.PutAsJsonAsync("/api/v1/staff/catalog/procedures/tennyu-chuo", content, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, caseworker.StatusCode);
    }

    [Fact]
    public async Task The_staff_api_creates_a_procedure_that_is_searchable_once_published()
    {
        using var client = App.Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(client, new { staff = "admin" }));
        var content = new
        {
            code = "sodai-gomi",
            office = "cityhall",
            name = new { ja = "粗大ごみの収集申込", en = "Bulky waste collection", easy = "おおきな ごみの もうしこみ" },
            summary = new { ja = "家具などの粗大ごみの収集を申し込みます。", en = "Book a bulky waste pickup.", easy = "おおきな ごみを とりに きて もらいます。" },
            reading = "そだいごみ",
            events = new[] { "引越し" },
            department = "shimin",
            channels = new[] { "online", "counter" },
            online = new { assurance = "low", payment = true, minutes = 5 },
            feeYen = 400,
        };
        using var invalid = await client.PutAsJsonAsync("/api/v1/staff/catalog/procedures/Bad Slug", content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using var draft = await client.PutAsJsonAsync("/api/v1/staff/catalog/procedures/sodai-gomi", content, Ct);
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        Assert.Empty(await NamesFoundAsync("粗大"));
        using var publish = await client.PostAsync("/api/v1/staff/catalog/procedures/sodai-gomi/publish", null, Ct);
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        Assert.Equal(["sodai-gomi"], await NamesFoundAsync("そだいごみ"));
        using var nothing = await client.PostAsync("/api/v1/staff/catalog/procedures/sodai-gomi/publish", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);
    }

    [Fact]
    public async Task An_edit_on_one_node_is_searchable_on_another()
    {
        await using var second = new MadoguchiApp(App.Provider) { SharedDatabase = App.Database };
        second.Settings["Catalog:RefreshSeconds"] = "0.5";
        await second.InitializeAsync();
        using var other = second.Api();
        Assert.Empty((await CatalogTests<TApp>.GetJsonAsync(other, "/api/v1/procedures?q=" + Uri.EscapeDataString("ぽちたまさぶろう"))).GetProperty("items").EnumerateArray());

        using var client = App.Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(client, new { staff = "admin" }));
        var current = await CatalogTests<TApp>.GetJsonAsync(client, "/api/v1/procedures/inu-toroku-kita");
        var content = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(current.GetProperty("content").GetRawText())!;
        content["reading"] = JsonDocument.Parse("\"ぽちたまさぶろう いぬのとうろく\"").RootElement;
        (await client.PutAsJsonAsync("/api/v1/staff/catalog/procedures/inu-toroku-kita", content, Ct)).EnsureSuccessStatusCode();
        (await client.PostAsync("/api/v1/staff/catalog/procedures/inu-toroku-kita/publish", null, Ct)).EnsureSuccessStatusCode();

        // The other node polls for changes; wait for it rather than assume a time.
        var found = false;
        for (var i = 0; i < 100 && !found; i++)
        {
            var json = await CatalogTests<TApp>.GetJsonAsync(other, "/api/v1/procedures?q=" + Uri.EscapeDataString("ぽちたまさぶろう"));
            found = json.GetProperty("items").EnumerateArray().Any(item => item.GetProperty("slug").GetString() == "inu-toroku-kita");
            if (!found) await Task.Delay(100, Ct);
        }
        Assert.True(found);
    }
}

public sealed class CatalogEditingTests_Sqlite(SqliteApp app) : CatalogEditingTests<SqliteApp>(app);

public sealed class CatalogEditingTests_Postgres(PostgresApp app) : CatalogEditingTests<PostgresApp>(app);
