using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

/// <summary>
/// The コンビニ交付 lesson: certificates were handed out with another resident's data when requests crossed under load.
/// Residents asking at once, on two nodes, for their own pages and API answers must each get only their own.
/// </summary>
public abstract class CrossRequestTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private static readonly string[] Personas = ["single-adult", "expecting-couple", "moving-family", "newborn-parent", "senior", "foreign-resident", "bereaved"];
    private const int Rounds = 20;

    private sealed record Caller(string Name, string Reference, Guid Application, CookieContainer Cookies, string Token);

    [Fact]
    public async Task Residents_asking_at_once_on_two_nodes_each_get_their_own_data_and_nobody_else_s()
    {
        await using var second = new MadoguchiApp(App.Provider) { SharedDatabase = App.Database };
        await second.InitializeAsync();
        MadoguchiApp[] nodes = [App, second];

        var callers = new List<Caller>();
        foreach (var persona in Personas)
        {
            using var browser = await SignInWithDemoProviderAsync(persona);
            using var api = App.Api();
            var token = await DemoApiTests<TApp>.TokenAsync(api, new { persona });
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var filed = await api.PostAsJsonAsync("/api/v1/applications",
                PregnancyNotice(), Ct);
            Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
            var application = await filed.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var id = application.GetProperty("id").GetGuid();
            var name = await WithDb(db => db.Applications.Where(a => a.Id == id).Join(db.Residents, a => a.ResidentId, r => r.Id, (_, r) => r.Name).SingleAsync(Ct));
            callers.Add(new Caller(name, application.GetProperty("reference").GetString()!, id, browser.Cookies, token));
        }
        Assert.Equal(Personas.Length, callers.Select(c => c.Name).Distinct().Count());

        // Every caller at once, alternating nodes; each answer must carry the caller's own mark and no one else's.
        var wrong = new ConcurrentBag<string>();
        var answers = 0;
        await Task.WhenAll(callers.Select(caller => Task.Run(async () =>
        {
            var browsers = nodes.Select(n => new Browser(n.BaseAddress, caller.Cookies)).ToArray();
            var clients = nodes.Select(n => n.Api()).ToArray();
            foreach (var client in clients) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", caller.Token);
            try
            {
                for (var round = 0; round < Rounds; round++)
                {
                    var (browser, client) = (browsers[round % 2], clients[round % 2]);
                    (string What, string Mark, string Text)[] received =
                    [
                        ("GET /api/v1/me", caller.Name, Json(await client.GetStringAsync("/api/v1/me", Ct))),
                        ("GET /api/v1/applications/{id}", caller.Reference, Json(await client.GetStringAsync($"/api/v1/applications/{caller.Application}", Ct))),
                        ("GET /api/v1/me/applications", caller.Reference, Json(await client.GetStringAsync("/api/v1/me/applications", Ct))),
                        ("/applications/{id}", caller.Reference, await PageAsync(browser, $"/applications/{caller.Application}")),
                        ("/account/profile", caller.Name, await PageAsync(browser, "/account/profile")),
                    ];
                    foreach (var (what, mark, text) in received)
                    {
                        Interlocked.Increment(ref answers);
                        if (!text.Contains(mark, StringComparison.Ordinal)) wrong.Add($"{caller.Name}: {what} lacks their own {mark}");
                        foreach (var other in callers.Where(o => o != caller))
                        {
                            if (text.Contains(other.Name, StringComparison.Ordinal) || text.Contains(other.Reference, StringComparison.Ordinal))
                            {
                                wrong.Add($"{caller.Name}: {what} shows {other.Name}'s data");
                            }
                        }
                    }
                }
            }
            finally
            {
                foreach (var b in browsers) b.Dispose();
                foreach (var c in clients) c.Dispose();
            }
        }, Ct)));

        Assert.Empty(wrong);
        Assert.Equal(Personas.Length * Rounds * 5, answers);
    }

    /// <summary>A JSON answer with its characters unescaped, so names compare as written.</summary>
    private static string Json(string text) =>
        JsonSerializer.Serialize(JsonDocument.Parse(text).RootElement, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>A page as the browser parsed it (entities decoded, attribute values included).</summary>
    private static async Task<string> PageAsync(Browser browser, string url)
    {
        var page = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page.Document.DocumentElement.OuterHtml;
    }
}

public sealed class CrossRequestTests_Sqlite(SqliteApp app) : CrossRequestTests<SqliteApp>(app);

public sealed class CrossRequestTests_Postgres(PostgresApp app) : CrossRequestTests<PostgresApp>(app);
