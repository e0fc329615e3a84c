using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Platform.Text;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

/// <summary>The catalogue and its search, through the public API and pages, on both databases.</summary>
public abstract class CatalogTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    internal static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<List<string>> SearchAsync(HttpClient client, string q, int limit = 1000)
    {
        var json = await GetJsonAsync(client, $"/api/v1/procedures?limit={limit}&q={Uri.EscapeDataString(q)}");
        var items = json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()!).ToList();
        Assert.Equal(Math.Min(limit, json.GetProperty("total").GetInt32()), items.Count);
        return items;
    }

    /// <summary>Every published procedure with the text the search promises to look in, folded the way the app folds it.</summary>
    private Task<Dictionary<string, (ProcedureContent Content, string Text)>> OracleAsync() => WithDb(async db =>
    {
        var departments = await db.Departments.ToDictionaryAsync(d => d.Id, Ct);
        var documents = await db.CatalogDocuments.Where(d => d.Kind == CatalogDocument.Procedure && d.State == DocumentState.Published).ToListAsync(Ct);
        return documents.ToDictionary(d => d.Key, d =>
        {
            var c = d.Read<ProcedureContent>();
            var department = departments[c.Department];
            var fields = new[] { c.Name.Ja, c.Name.En, c.Name.Easy, c.Reading, c.Summary.Ja, c.Summary.En, c.Summary.Easy, department.Name, department.NameEn, department.NameEasy }
                .Concat(c.Events);
            return (c, string.Join('\n', fields.Select(JapaneseText.Fold)));
        });
    });

    [Fact]
    public async Task The_demo_catalogue_holds_the_58_reference_procedures_for_seven_wards()
    {
        var oracle = await OracleAsync();
        var codes = oracle.Values.Select(v => v.Content.Code).Distinct().ToList();
        Assert.True(codes.Count >= 58, $"{codes.Count} procedures");
        // Ward procedures exist once per ward office; each names its office, counter and phone.
        var births = oracle.Values.Where(v => v.Content.Code == "shussei-todoke").ToList();
        Assert.Equal(7, births.Count);
        Assert.Equal(7, births.Select(b => b.Content.Office).Distinct().Count());
        Assert.All(births, b => Assert.False(string.IsNullOrEmpty(b.Content.Counter)));
        Assert.All(oracle.Values, v =>
        {
            Assert.False(string.IsNullOrWhiteSpace(v.Content.Name.En));
            Assert.False(string.IsNullOrWhiteSpace(v.Content.Name.Easy));
            Assert.False(string.IsNullOrWhiteSpace(v.Content.Summary.En));
            Assert.False(string.IsNullOrWhiteSpace(v.Content.Summary.Easy));
            Assert.NotEmpty(v.Content.Events);
        });
    }

    [Fact]
    public async Task One_and_two_character_words_find_every_procedure_that_contains_them()
    {
        var oracle = await OracleAsync();
        using var client = App.Api();
        // Every kanji and kana character of every name, and every two-character piece of every name, as a query.
        var names = oracle.Values.Select(v => v.Content.Name.Ja).Distinct().ToList();
        var queries = names.SelectMany(n => n.Where(c => c > 0x3000).Select(c => c.ToString()))
            .Concat(names.SelectMany(n => Enumerable.Range(0, Math.Max(0, n.Length - 1)).Select(i => n.Substring(i, 2))).Where(q => q.All(c => c > 0x3000)))
            .Concat(["税", "転入", "犬"])
            .Distinct().ToList();
        Assert.True(queries.Count > 300, $"{queries.Count} queries");
        var misses = new List<string>();
        foreach (var q in queries)
        {
            var expected = oracle.Where(o => o.Value.Text.Contains(JapaneseText.Fold(q), StringComparison.Ordinal)).Select(o => o.Key).ToHashSet();
            var found = (await SearchAsync(client, q)).ToHashSet();
            misses.AddRange(expected.Except(found).Select(slug => $"{q} → {slug}"));
        }
        Assert.Empty(misses);
    }

    [Fact]
    public async Task Width_and_kana_differences_do_not_matter()
    {
        using var client = App.Api();
        var expected = await SearchAsync(client, "てんにゅう");
        Assert.Contains("tennyu-chuo", expected);
        Assert.Equal(expected, await SearchAsync(client, "テンニュウ"));
        Assert.Equal(expected, await SearchAsync(client, "ﾃﾝﾆｭｳ"));
        Assert.Contains("jumin-hyo-kita", await SearchAsync(client, "住民票"));
        Assert.Equal(await SearchAsync(client, "dog"), await SearchAsync(client, "ＤＯＧ"));
    }

    [Theory]
    [InlineData("ひっこし", new[] { "tennyu", "tenshutsu", "tenkyo" })]
    [InlineData("赤ちゃんが生まれた", new[] { "shussei-todoke" })]
    [InlineData("亡くなった", new[] { "shibo-todoke" })]
    [InlineData("犬", new[] { "inu-henko", "inu-toroku" })]
    public async Task Everyday_words_reach_the_official_procedures(string words, string[] codes)
    {
        using var client = App.Api();
        var found = await SearchAsync(client, words, 60);
        foreach (var code in codes)
        {
            Assert.Contains($"{code}-chuo", found);
        }
    }

    [Fact]
    public async Task Small_typos_are_tolerated_and_the_best_match_comes_first()
    {
        using var client = App.Api();
        // じどうてあで (て→で) still finds 児童手当 by its reading.
        var typo = await SearchAsync(client, "じどうてあで", 20);
        Assert.StartsWith("jido-teate", typo[0]);
        // An exact name beats names and summaries that merely contain the word.
        var exact = await SearchAsync(client, "出生届", 20);
        Assert.StartsWith("shussei-todoke-", exact[0]);
        var moving = await SearchAsync(client, "転入届", 5);
        Assert.All(moving, slug => Assert.StartsWith("tennyu-", slug));
    }

    [Fact]
    public async Task The_search_page_works_without_javascript_and_suggests_life_events_when_nothing_matches()
    {
        using var browser = App.Browser();
        var home = await browser.GetAsync("/");
        var results = await browser.SubmitAsync(home, "form[role=search]", new Dictionary<string, string> { ["q"] = "転入" });
        Assert.Equal(HttpStatusCode.OK, results.Status);
        Assert.Equal("/search", results.Url.AbsolutePath);
        var first = results.Document.QuerySelector("ol.results li")!;
        Assert.Equal("転入届", first.QuerySelector("h3 a")!.TextContent.Trim());
        Assert.Contains("市民課", first.TextContent);
        Assert.Contains("翌日から14日以内", first.TextContent);
        // The seven ward items collapse into one result that links each ward office.
        Assert.Equal(7, first.QuerySelectorAll(".wards a").Length);
        var online = await browser.GetAsync("/search?q=" + Uri.EscapeDataString("児童手当 認定請求"));
        Assert.NotNull(online.Document.QuerySelector("ol.results li .badge.online"));

        var none = await browser.GetAsync("/search?q=" + Uri.EscapeDataString("宇宙旅行"));
        Assert.NotNull(none.Document.QuerySelector("#no-results"));
        Assert.NotNull(none.Document.QuerySelector("#no-results a[href='/guide/birth']"));
        Assert.Contains("0120-000-000", none.Document.QuerySelector("#no-results")!.TextContent);
    }

    [Fact]
    public async Task Bad_search_input_gets_a_clear_error()
    {
        using var client = App.Api();
        using var response = await client.GetAsync("/api/v1/procedures?q=a&limit=0", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit", await response.Content.ReadAsStringAsync(Ct));
        using var browser = App.Browser();
        var page = await browser.GetAsync("/search?q=" + new string('あ', 101));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("100文字", page.Document.QuerySelector(".error-summary")!.TextContent);
    }

    [Theory]
    // 出生届: 14 days counting the day of birth; 11/23 is 勤労感謝の日, so the 24th.
    [InlineData("shussei-todoke-chuo", "2026-11-10", "2026-11-24")]
    [InlineData("shussei-todoke-chuo", "2026-11-12", "2026-11-25")]
    // Day 14 on 12/31 (year-end closure until 1/3) → Monday 4 January.
    [InlineData("shussei-todoke-chuo", "2026-12-18", "2027-01-04")]
    // 死亡届: 7 days counting the day the death became known.
    [InlineData("shibo-todoke-chuo", "2026-11-20", "2026-11-26")]
    [InlineData("shibo-todoke-chuo", "2026-11-17", "2026-11-24")]
    // 転入届: 14 days from the move, the day after counting as day 1; 11/15 is a Sunday.
    [InlineData("tennyu-chuo", "2026-11-01", "2026-11-16")]
    [InlineData("tennyu-chuo", "2026-11-02", "2026-11-16")]
    // 児童手当: 15 days from the day after the birth or move-out; 5/1/2027 is a Saturday before Golden Week.
    [InlineData("jido-teate-chuo", "2026-11-10", "2026-11-25")]
    [InlineData("jido-teate-chuo", "2027-04-16", "2027-05-06")]
    // 葬祭費: 2 years from the day after the funeral (民法143条).
    [InlineData("sosaihi-chuo", "2026-11-20", "2028-11-20")]
    // 相続放棄: 3 months; from 11/30 the period ends on the last day of February, a Sunday → 3/1.
    [InlineData("sozoku-hoki", "2026-11-29", "2027-03-01")]
    public async Task Deadlines_follow_the_rules_and_the_city_calendar(string slug, string eventDate, string deadline)
    {
        using var client = App.Api();
        var json = await GetJsonAsync(client, $"/api/v1/procedures/{slug}/deadline?eventDate={eventDate}");
        Assert.Equal(deadline, json.GetProperty("deadline").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_procedure_without_a_deadline_says_so_and_bad_dates_are_refused()
    {
        using var client = App.Api();
        var marriage = await GetJsonAsync(client, "/api/v1/procedures/konin-todoke-chuo/deadline?eventDate=2026-11-22");
        Assert.Equal(JsonValueKind.Null, marriage.GetProperty("deadline").ValueKind);
        Assert.Contains("期限はありません", marriage.GetProperty("text").GetString());
        using var bad = await client.GetAsync("/api/v1/procedures/shussei-todoke-chuo/deadline?eventDate=2026-13-01", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var missing = await client.GetAsync("/api/v1/procedures/no-such-thing/deadline?eventDate=2026-11-01", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_whole_item_is_served_with_its_deadline_rule()
    {
        using var client = App.Api();
        var item = await GetJsonAsync(client, "/api/v1/procedures/shussei-todoke-kita");
        var content = item.GetProperty("content");
        Assert.Equal("出生届", content.GetProperty("name").GetProperty("ja").GetString());
        Assert.Equal("Birth registration", content.GetProperty("name").GetProperty("en").GetString());
        Assert.Equal("kita", content.GetProperty("office").GetString());
        var rule = content.GetProperty("deadline");
        Assert.Equal("birth", rule.GetProperty("anchor").GetString());
        Assert.Equal(14, rule.GetProperty("days").GetInt32());
        Assert.True(rule.GetProperty("firstDayCounts").GetBoolean());
        Assert.True(rule.GetProperty("rollForward").GetBoolean());
        Assert.Equal("戸籍法第49条", content.GetProperty("legalBasis").GetString());
        Assert.Equal("北区役所", item.GetProperty("officeName").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", item.GetProperty("lastUpdated").GetString()!);
        Assert.Contains("kokuho-kanyu", content.GetProperty("related").EnumerateArray().Select(r => r.GetString()));

        using var browser = App.Browser();
        var page = await browser.GetAsync("/procedures/shussei-todoke-kita?eventDate=2026-11-10");
        Assert.Contains("2026-11-24", page.Document.QuerySelector("#deadline-result")!.TextContent);
        Assert.Contains("令和8年11月24日", page.Document.QuerySelector("#deadline-result")!.TextContent);
        Assert.Equal(6, page.Document.QuerySelectorAll(".inline-list a").Length);
    }

    [Fact]
    public async Task The_catalogue_speaks_english_and_easy_japanese()
    {
        using var client = App.Api();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var english = await GetJsonAsync(client, "/api/v1/procedures?q=" + Uri.EscapeDataString("出生届") + "&limit=1");
        Assert.Equal("Birth registration", english.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal("Residents Division", english.GetProperty("items")[0].GetProperty("department").GetString());

        using var browser = App.Browser();
        await browser.GetAsync("/lang/easy?returnUrl=%2F");
        var easy = await browser.GetAsync("/procedures/shussei-todoke-chuo");
        Assert.Contains("しゅっせい とどけ", easy.Document.QuerySelector("h1")!.TextContent);
    }
}

public sealed class CatalogTests_Sqlite(SqliteApp app) : CatalogTests<SqliteApp>(app);

public sealed class CatalogTests_Postgres(PostgresApp app) : CatalogTests<PostgresApp>(app);
