using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

/// <summary>The life-event guide: questions, plans, the calendar file and saved plans, through the API and the pages.</summary>
public abstract class GuideTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private static async Task<JsonElement> PlanAsync(HttpClient client, string lifeEvent, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/life-events/{lifeEvent}/plan", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Dictionary<string, JsonElement> Items(JsonElement plan) =>
        plan.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("slug").GetString()!);

    [Fact]
    public async Task The_seven_life_events_and_their_questions_are_listed_with_an_unknown_answer_each()
    {
        using var client = App.Api();
        var events = await CatalogTests<TApp>.GetJsonAsync(client, "/api/v1/life-events");
        Assert.Equal(["pregnancy", "birth", "moving-in", "moving-within", "moving-out", "marriage", "death"], events.EnumerateArray().Select(e => e.GetProperty("id").GetString()));

        var required = new Dictionary<string, Dictionary<string, string[]>>
        {
            ["birth"] = new() { ["bornAbroad"] = ["yes", "no"], ["insurance"] = ["kokuho", "employer"], ["childAllowance"] = ["new", "existing", "publicServant"], ["lowBirthWeight"] = ["yes", "no"], ["singleParent"] = ["yes", "no"] },
            ["moving-in"] = new() { ["withCard"] = ["yes", "no"], ["insurance"] = ["kokuho", "employer", "elderly"], ["children"] = ["none", "preschool", "school", "both"], ["careCertified"] = ["yes", "no"], ["dog"] = ["yes", "no"], ["foreignMember"] = ["yes", "no"] },
            ["death"] = new() { ["householdHead"] = ["yes", "no"], ["remainingMembers"] = ["0", "1", "2+"], ["insurance"] = ["kokuho", "elderly", "employer"], ["pension"] = ["yes", "no"], ["careCertified"] = ["yes", "no"], ["realEstate"] = ["yes", "no"] },
        };
        foreach (var (id, keys) in required)
        {
            var lifeEvent = await CatalogTests<TApp>.GetJsonAsync(client, $"/api/v1/life-events/{id}");
            var questions = lifeEvent.GetProperty("questions").EnumerateArray().ToDictionary(q => q.GetProperty("key").GetString()!);
            foreach (var (key, values) in keys)
            {
                Assert.True(questions.ContainsKey(key), $"{id}.{key}");
                var options = questions[key].GetProperty("options").EnumerateArray().Select(o => o.GetProperty("value").GetString()).ToList();
                Assert.Equal([.. values, "unknown"], options);
                Assert.Equal("わからない", questions[key].GetProperty("options").EnumerateArray().Last().GetProperty("label").GetString());
            }
        }
    }

    [Fact]
    public async Task A_birth_plan_lists_what_is_required_with_dated_deadlines_grouped_by_visit()
    {
        using var client = App.Api();
        var plan = await PlanAsync(client, "birth", new
        {
            eventDate = "2026-11-10",
            ward = "minami",
            answers = new Dictionary<string, string> { ["bornAbroad"] = "no", ["insurance"] = "kokuho", ["childAllowance"] = "new", ["lowBirthWeight"] = "no", ["singleParent"] = "no" },
        });
        var items = Items(plan);
        Assert.Equal("required", items["shussei-todoke-minami"].GetProperty("status").GetString());
        Assert.Equal("2026-11-24", items["shussei-todoke-minami"].GetProperty("deadline").GetString());
        Assert.Equal("2026-11-25", items["jido-teate-minami"].GetProperty("deadline").GetString());
        Assert.Equal("2026-11-24", items["kokuho-kanyu-minami"].GetProperty("deadline").GetString());
        Assert.Equal("市民課", items["shussei-todoke-minami"].GetProperty("department").GetString());
        Assert.Contains("counter", items["shussei-todoke-minami"].GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("母子健康手帳", items["shussei-todoke-minami"].GetProperty("bring").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal("/apply/jido-teate-minami", items["jido-teate-minami"].GetProperty("onlineUrl").GetString());
        Assert.DoesNotContain("teitaiju-minami", items.Keys);
        Assert.DoesNotContain("jido-teate-gakukaitei-minami", items.Keys);
        Assert.All(items.Values, i => Assert.Equal("required", i.GetProperty("status").GetString()));
        // Sorted by deadline, undated last.
        var deadlines = plan.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("deadline").GetString() ?? "9999").ToList();
        Assert.Equal(deadlines.Order(StringComparer.Ordinal), deadlines);
        // One combined checklist without repeats.
        var bring = plan.GetProperty("bring").EnumerateArray().Select(b => b.GetString()).ToList();
        Assert.Equal(bring.Distinct().Count(), bring.Count);
        Assert.Contains("母子健康手帳", bring);
        // The 出生届 is a trip to the ward office; the online ones need no trip.
        var visits = plan.GetProperty("visits").EnumerateArray().ToDictionary(v => v.GetProperty("place").GetString()!);
        Assert.Contains("shussei-todoke-minami", visits["minami"].GetProperty("items").EnumerateArray().Select(i => i.GetString()));
        Assert.Contains("jido-teate-minami", visits["online"].GetProperty("items").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("南区役所", visits["minami"].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Unknown_answers_make_procedures_to_check_instead_of_hiding_them()
    {
        using var client = App.Api();
        var plan = await PlanAsync(client, "birth", new { eventDate = "2026-11-10", ward = "kita", answers = new Dictionary<string, string> { ["insurance"] = "unknown", ["bornAbroad"] = "yes" } });
        var items = Items(plan);
        Assert.Equal("check", items["kokuho-kanyu-kita"].GetProperty("status").GetString());
        Assert.Equal("check", items["teitaiju-kita"].GetProperty("status").GetString());
        // Born abroad: three months counting the day of birth → 2027-02-09 (Tuesday).
        Assert.Equal("required", items["shussei-todoke-kita"].GetProperty("status").GetString());
        Assert.Equal("2027-02-09", items["shussei-todoke-kita"].GetProperty("deadline").GetString());
        var publicServant = Items(await PlanAsync(client, "birth", new { eventDate = "2026-11-10", answers = new Dictionary<string, string> { ["childAllowance"] = "publicServant" } }));
        Assert.DoesNotContain(publicServant.Keys, k => k.StartsWith("jido-teate", StringComparison.Ordinal));
        // Without a ward, the place is left open rather than guessed.
        Assert.Equal(JsonValueKind.Null, publicServant.Values.First(i => i.GetProperty("slug").GetString()!.StartsWith("shussei", StringComparison.Ordinal)).GetProperty("office").ValueKind);
    }

    [Fact]
    public async Task Moving_in_and_death_plans_follow_their_answers()
    {
        using var client = App.Api();
        var moving = Items(await PlanAsync(client, "moving-in", new
        {
            eventDate = "2027-04-01",
            ward = "chuo",
            answers = new Dictionary<string, string> { ["withCard"] = "yes", ["moveOutDate"] = "2027-03-29", ["insurance"] = "employer", ["children"] = "school", ["careCertified"] = "no", ["dog"] = "yes", ["foreignMember"] = "no" },
        }));
        Assert.Contains("tennyu-chuo", moving.Keys);
        Assert.Contains("mynumber-keizoku-chuo", moving.Keys);
        Assert.Contains("tengaku-chuo", moving.Keys);
        Assert.Contains("inu-henko-chuo", moving.Keys);
        Assert.DoesNotContain("kokuho-kanyu-chuo", moving.Keys);
        Assert.DoesNotContain("hoikusho-chuo", moving.Keys);
        Assert.DoesNotContain("zairyu-jukyochi-chuo", moving.Keys);
        // 転入届: moved 4/1 → 4/15 (Thu). 児童手当 counts from the planned move-out date 3/29 → 4/13 (Tue). 犬: 30 days → 5/1 (Sat) → 5/6.
        Assert.Equal("2027-04-15", moving["tennyu-chuo"].GetProperty("deadline").GetString());
        Assert.Equal("2027-04-13", moving["jido-teate-chuo"].GetProperty("deadline").GetString());
        Assert.Equal("2027-05-06", moving["inu-henko-chuo"].GetProperty("deadline").GetString());

        var death = Items(await PlanAsync(client, "death", new
        {
            eventDate = "2026-11-16",
            ward = "minato",
            answers = new Dictionary<string, string> { ["knownDate"] = "2026-11-17", ["householdHead"] = "yes", ["remainingMembers"] = "1", ["insurance"] = "elderly", ["pension"] = "yes", ["careCertified"] = "yes", ["realEstate"] = "no" },
        }));
        Assert.Equal("2026-11-24", death["shibo-todoke-minato"].GetProperty("deadline").GetString());
        Assert.DoesNotContain("setainushi-henko-minato", death.Keys);
        Assert.Contains("koki-soshitsu-minato", death.Keys);
        Assert.DoesNotContain("kokuho-soshitsu-minato", death.Keys);
        Assert.Contains("nenkin-shibo-minato", death.Keys);
        Assert.Contains("kaigo-soshitsu-minato", death.Keys);
        Assert.DoesNotContain("kotei-shisanzei", death.Keys);
        Assert.Equal("check", death["sozoku-hoki"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bad_plan_requests_are_refused_with_the_field_named()
    {
        using var client = App.Api();
        foreach (var (body, field) in new (object, string)[]
        {
            (new { eventDate = "2026-02-30" }, "eventDate"),
            (new { eventDate = "2026-11-10", ward = "atlantis" }, "ward"),
            (new { eventDate = "2026-11-10", answers = new Dictionary<string, string> { ["insurance"] = "gold" } }, "answers.insurance"),
            (new { eventDate = "2026-11-10", answers = new Dictionary<string, string> { ["favouriteColour"] = "blue" } }, "answers.favouriteColour"),
        })
        {
            using var response = await client.PostAsJsonAsync("/api/v1/life-events/birth/plan", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), field);
        }
        using var unknown = await client.PostAsJsonAsync("/api/v1/life-events/retirement/plan", new { eventDate = "2026-11-10" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_resident_answers_one_question_per_screen_without_javascript_and_downloads_the_calendar()
    {
        using var browser = App.Browser();
        var start = await browser.GetAsync("/guide/birth");
        Assert.Equal(HttpStatusCode.OK, start.Status);
        // A mangled address starts over instead of failing.
        var mangled = await browser.GetAsync("/guide/birth?step=abc");
        Assert.Equal(HttpStatusCode.OK, mangled.Status);
        Assert.NotNull(mangled.Document.QuerySelector("#eventdate"));
        // A date in the wrong shape is explained on the same screen.
        var wrong = await browser.SubmitAsync(start, fields: new Dictionary<string, string> { ["eventDate"] = "11/10", ["ward"] = "kita" });
        Assert.NotNull(wrong.Document.QuerySelector(".error-summary a[href='#eventdate']"));
        var page = await browser.SubmitAsync(start, fields: new Dictionary<string, string> { ["eventDate"] = "2026-11-10", ["ward"] = "kita" });
        var answers = new Dictionary<string, string> { ["bornAbroad"] = "no", ["insurance"] = "kokuho", ["childAllowance"] = "unknown", ["lowBirthWeight"] = "no", ["singleParent"] = "no" };
        var seen = new List<string>();
        while (page.Url.AbsolutePath == "/guide/birth")
        {
            var radios = page.Document.QuerySelectorAll("main form input[type=radio]");
            Assert.NotEmpty(radios);
            var key = radios[0].GetAttribute("name")!;
            Assert.Contains(radios, r => r.GetAttribute("value") == "unknown");
            seen.Add(key);
            // Submitting without a choice asks again.
            if (seen.Count == 1)
            {
                var again = await browser.SubmitAsync(page);
                Assert.Contains("選んでください", again.Document.QuerySelector(".error-summary")!.TextContent);
            }
            page = await browser.SubmitAsync(page, fields: new Dictionary<string, string> { [key] = answers[key] });
        }
        Assert.Equal(answers.Keys, seen);
        Assert.Equal("/guide/birth/plan", page.Url.AbsolutePath);
        var birth = page.Document.QuerySelector("li.plan-item[data-slug='shussei-todoke-kita']")!;
        Assert.Contains("2026-11-24", birth.TextContent);
        Assert.Contains("必要", birth.QuerySelector(".badge")!.TextContent);
        Assert.Contains("要確認", page.Document.QuerySelector("li.plan-item[data-slug='jido-teate-kita'] .badge")!.TextContent);
        Assert.NotEmpty(page.Document.QuerySelectorAll("#bring + ul li"));
        // The ward-office visit can be booked, carrying what it is for.
        var book = page.Document.QuerySelector("a[href^='/counters/kita/book?purpose=']")!.GetAttribute("href")!;
        var booking = await browser.GetAsync(book);
        Assert.Contains("出生届", booking.Document.QuerySelector("input[type=hidden][name=purpose]")!.GetAttribute("value"));
        var withService = await browser.SubmitAsync(booking, "form[method=get]");
        Assert.Contains("出生届", withService.Document.QuerySelector("textarea#purpose")!.TextContent);

        var ics = page.Document.QuerySelector("a[href*='plan.ics']")!.GetAttribute("href")!;
        using var file = await browser.Http.GetAsync(ics, Ct);
        Assert.Equal("text/calendar", file.Content.Headers.ContentType!.MediaType);
        var text = await file.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("BEGIN:VCALENDAR", text);
        Assert.Contains("DTSTART;VALUE=DATE:20261124", text);
        Assert.Contains("SUMMARY:期限：出生届", text);

        var print = await browser.GetAsync(page.Document.QuerySelector("a[href*='print=true']")!.GetAttribute("href")!);
        Assert.Equal("print-view", print.Document.Body!.ClassName);
    }

    [Fact]
    public async Task A_signed_in_resident_gets_household_answers_prefilled_and_saves_the_plan_once()
    {
        var browser = await SignInWithDemoProviderAsync("moving-family");
        // The family's ward comes from the address; a move into the city has no ward yet, so birth is used here.
        var start = await browser.GetAsync("/guide/moving-in?step=0");
        Assert.Equal("unknown", start.Document.QuerySelector("select#ward option[selected]")!.GetAttribute("value"));
        var children = await browser.GetAsync("/guide/moving-in?eventDate=2027-04-01&ward=chuo&withCard=yes&insurance=employer&step=4");
        Assert.Equal("children", children.Document.QuerySelector("main form input[type=radio]")!.GetAttribute("name"));
        // Two children aged 10 and 6 on the day of the move: both at school.
        Assert.Equal("school", children.Document.QuerySelector("main form input[type=radio][checked]")!.GetAttribute("value"));
        Assert.NotNull(children.Document.QuerySelector("legend .badge"));

        var plan = await browser.GetAsync("/guide/moving-in/plan?eventDate=2027-04-01&ward=chuo&withCard=yes&insurance=employer&children=school&dog=no");
        var saved = await browser.SubmitAsync(plan, "form[action='/guide/plans']");
        Assert.Matches("^/guide/plans/[0-9a-f-]{36}$", saved.Url.AbsolutePath);
        Assert.NotNull(saved.Document.QuerySelector("li.plan-item[data-slug='tengaku-chuo']"));
        // A double click saves nothing new.
        var twice = await browser.SubmitAsync(plan, "form[action='/guide/plans']");
        Assert.Equal(saved.Url, twice.Url);
        var resident = await ResidentAsync("demo", "moving-family");
        Assert.Equal(1, await WithDb(db => db.SavedPlans.CountAsync(p => p.ResidentId == resident.Id, Ct)));
        Assert.True(await WithDb(db => db.AuditEntries.AnyAsync(a => a.Action == "guide.plan-saved", Ct)));
        // Saved plans are the resident's data: in their download.
        using var download = await browser.Http.GetAsync("/account/data?handler=Download", Ct);
        using var export = JsonDocument.Parse(await download.Content.ReadAsStringAsync(Ct));
        Assert.Equal("moving-in", export.RootElement.GetProperty("savedPlans")[0].GetProperty("eventId").GetString());

        // Nobody else can open it.
        var other = await SignInWithDemoProviderAsync("single-adult");
        var foreign = await other.GetAsync(saved.Url.AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        using var anonymous = App.Browser();
        var signIn = await anonymous.GetAsync(saved.Url.AbsolutePath);
        Assert.Equal("/account/signin", signIn.Url.AbsolutePath);
    }

    [Fact]
    public async Task The_ward_is_prefilled_from_the_address()
    {
        var browser = await SignInWithDemoProviderAsync("newborn-parent");
        var start = await browser.GetAsync("/guide/birth");
        Assert.Equal("minami", start.Document.QuerySelector("select#ward option[selected]")!.GetAttribute("value"));
        var allowance = await browser.GetAsync("/guide/birth?eventDate=2026-11-10&ward=minami&bornAbroad=no&insurance=employer&step=3");
        Assert.Equal("new", allowance.Document.QuerySelector("main form input[type=radio][checked]")!.GetAttribute("value"));
    }
}

public sealed class GuideTests_Sqlite(SqliteApp app) : GuideTests<SqliteApp>(app);

public sealed class GuideTests_Postgres(PostgresApp app) : GuideTests<PostgresApp>(app);
