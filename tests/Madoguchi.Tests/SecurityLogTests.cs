using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Platform.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Madoguchi.Tests;

/// <summary>
/// Sign-ins and refusals reach the security log with who, from where and which trace; seeded canaries (a password,
/// a token, a My Number-like string in an application, a query, a path with a line break) reach no log line at all.
/// </summary>
public abstract class SecurityLogTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    [Fact]
    public async Task Sign_ins_and_refusals_are_logged_with_actor_address_and_trace_and_no_secret_or_personal_data_is()
    {
        var capture = new LogCapture();
        await using var node = await LoggedNodeAsync(capture);
        var canary = $"canary{Guid.NewGuid():N}";

        using var staff = node.Browser();
        var refused = await staff.SubmitAsync(await staff.GetAsync("/staff/login"),
            fields: new Dictionary<string, string> { ["Input.LoginId"] = "caseworker", ["Input.Password"] = $"{canary}-password" });
        Assert.Equal("/staff/login", refused.Url.AbsolutePath);

        using var api = node.Api();
        using (var forged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me"))
        {
            forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{canary}-token");
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(forged, Ct)).StatusCode);
        }

        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(api, new { persona = "expecting-couple" }));
        using (var filed = await api.PostAsJsonAsync("/api/v1/applications",
            PregnancyNotice($"{canary}-1234-5678-9012"), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync($"/api/v1/staff/me?note={canary}-query", Ct)).StatusCode);

        using var anonymous = node.Browser();
        var challenged = await anonymous.GetAsync($"/staff/counters/book/x%0D%0A{canary}-forged-line", maxRedirects: 0);
        Assert.Equal(HttpStatusCode.Redirect, challenged.Status);

        // The audit entries of the sign-ins are written with the request; the log lines with them.
        var lines = capture.Lines.ToList();
        Assert.DoesNotContain(lines, l => l.Message.Contains(canary, StringComparison.Ordinal));
        var security = lines.Where(l => l.Category == SecurityLog.Category).Select(l => l.Message).ToList();
        Assert.Contains(security, m => m.StartsWith("Security staff.signin-failed: actor ", StringComparison.Ordinal) && m.Contains(", address 127.0.0.1, trace ", StringComparison.Ordinal));
        Assert.Contains(security, m => m.StartsWith("Security challenged: GET /api/v1/me answered 401; actor anonymous, address 127.0.0.1, trace ", StringComparison.Ordinal));
        Assert.Contains(security, m => m.StartsWith("Security resident.signin: actor resident:", StringComparison.Ordinal));
        Assert.Contains(security, m => m.StartsWith("Security forbidden: GET /api/v1/staff/me answered 403; actor resident:", StringComparison.Ordinal));
        Assert.Contains(security, m => m.StartsWith("Security challenged: GET staff/counters/book/{office} answered 302; actor anonymous", StringComparison.Ordinal));
        Assert.All(security, m =>
        {
            Assert.DoesNotMatch("[\r\n]", m);
            Assert.Matches(@", trace \S{8,}$", m);
        });
        Assert.Equal(1, capture.Lines.Count(l => l.Level == LogLevel.Warning && l.Message.StartsWith("Security staff.signin-failed", StringComparison.Ordinal)));

        // On the console every line is one line, stamped in UTC.
        var console = node.Services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue;
        Assert.True(console.SingleLine);
        Assert.True(console.UseUtcTimestamp);
    }
}

public sealed class SecurityLogTests_Sqlite(SqliteApp app) : SecurityLogTests<SqliteApp>(app);

public sealed class SecurityLogTests_Postgres(PostgresApp app) : SecurityLogTests<PostgresApp>(app);
