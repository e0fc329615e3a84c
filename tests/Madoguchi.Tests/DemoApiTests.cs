using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;

namespace Madoguchi.Tests;

public abstract class DemoApiTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    internal static async Task<string> TokenAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/demo/token", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", json.RootElement.GetProperty("token_type").GetString());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task Personas_list_the_eight_situations_and_staff_of_every_role()
    {
        using var client = App.Api();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/v1/demo/personas", Ct));
        var residents = json.RootElement.GetProperty("residents").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(["single-adult", "expecting-couple", "moving-family", "newborn-parent", "senior", "foreign-resident", "bereaved", "no-card"], residents);
        Assert.All(json.RootElement.GetProperty("residents").EnumerateArray(), r => Assert.False(string.IsNullOrEmpty(r.GetProperty("name").GetString())));
        var roles = json.RootElement.GetProperty("staff").EnumerateArray().SelectMany(s => s.GetProperty("roles").EnumerateArray().Select(r => r.GetString())).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Clerk", "Caseworker", "Approver", "Administrator", "Auditor" }, roles);
        Assert.All(json.RootElement.GetProperty("staff").EnumerateArray(), s => Assert.NotEmpty(s.GetProperty("departments").EnumerateArray()));
    }

    [Fact]
    public async Task A_resident_token_reads_the_residents_own_profile()
    {
        using var client = App.Api();
        var token = await TokenAsync(client, new { persona = "moving-family" });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var me = JsonDocument.Parse(await client.GetStringAsync("/api/v1/me", Ct));
        Assert.Equal("高橋 直樹", me.RootElement.GetProperty("name").GetString());
        Assert.Equal(3, me.RootElement.GetProperty("household").GetArrayLength());
        Assert.Equal("大阪府", me.RootElement.GetProperty("address").GetProperty("prefecture").GetString());
        using var staff = await client.GetAsync("/api/v1/staff/me", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
    }

    [Fact]
    public async Task A_staff_token_reads_staff_data_and_not_a_residents()
    {
        using var client = App.Api();
        var token = await TokenAsync(client, new { staff = "kacho" });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var me = JsonDocument.Parse(await client.GetStringAsync("/api/v1/staff/me", Ct));
        Assert.Equal("kacho", me.RootElement.GetProperty("loginId").GetString());
        Assert.Equal(["Approver", "Manager"], me.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        using var resident = await client.GetAsync("/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, resident.StatusCode);
    }

    [Fact]
    public async Task The_api_refuses_missing_forged_and_unknown_tokens()
    {
        using var client = App.Api();
        using var none = await client.GetAsync("/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "CfDJ8forged");
        using var forged = await client.GetAsync("/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        client.DefaultRequestHeaders.Authorization = null;
        using var unknown = await client.PostAsJsonAsync("/api/v1/demo/token", new { persona = "nobody" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
        Assert.Contains("persona", await unknown.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_cookie_session_does_not_authorize_the_api()
    {
        using var browser = await SignInWithDemoProviderAsync("single-adult");
        using var response = await browser.Http.GetAsync("/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

public sealed class DemoApiTests_Sqlite(SqliteApp app) : DemoApiTests<SqliteApp>(app);

public sealed class DemoApiTests_Postgres(PostgresApp app) : DemoApiTests<PostgresApp>(app);
