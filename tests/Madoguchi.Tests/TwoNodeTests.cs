using System.Net;
using System.Net.Http.Headers;
using Madoguchi.Tests.Infrastructure;

namespace Madoguchi.Tests;

/// <summary>App nodes are stateless: a session or token made on one node is good on another sharing the database.</summary>
public abstract class TwoNodeTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    [Fact]
    public async Task A_session_and_a_token_from_one_node_work_on_the_other()
    {
        await using var second = new MadoguchiApp(App.Provider) { SharedDatabase = App.Database };
        await second.InitializeAsync();

        using var onFirst = await SignInWithDemoProviderAsync("moving-family");
        using var onSecond = new Browser(second.BaseAddress, onFirst.Cookies);
        var profile = await onSecond.GetAsync("/account/profile");
        Assert.Equal(HttpStatusCode.OK, profile.Status);
        Assert.Equal("高橋 直樹", profile.Document.QuerySelector("#input-name")!.GetAttribute("value"));

        // A form rendered by one node is accepted by the other (shared antiforgery keys).
        var saved = await onSecond.SubmitAsync(profile, "form[action*='handler=Save']", new Dictionary<string, string> { ["Input.Phone"] = "090-0000-1111" });
        Assert.Contains("保存しました", saved.Text);

        using var firstClient = App.Api();
        using var client = second.Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(firstClient, new { staff = "auditor" }));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/staff/me", Ct)).StatusCode);
    }
}

public sealed class TwoNodeTests_Sqlite(SqliteApp app) : TwoNodeTests<SqliteApp>(app);

public sealed class TwoNodeTests_Postgres(PostgresApp app) : TwoNodeTests<PostgresApp>(app);
