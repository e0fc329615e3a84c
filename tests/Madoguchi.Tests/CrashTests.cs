using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

/// <summary>Kiosks keep issuing while the server is killed (kill -9) and restarted: every acknowledged ticket is still there, and no number is given twice.</summary>
public abstract class CrashTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    [Fact]
    public async Task Acknowledged_tickets_survive_kill_9_and_numbers_stay_unique()
    {
        var settings = new Dictionary<string, string?>(App.Database.Settings())
        {
            ["Demo:Enabled"] = "true",
            ["Demo:History"] = "false",
            ["Security:RequireHttps"] = "false",
            ["RateLimits:TicketsPerMinute"] = "100000",
        };
        var acknowledged = new ConcurrentBag<(Guid Id, string Number)>();
        for (var round = 0; round < 3; round++)
        {
            var port = FreePort();
            using var server = AppProcess.StartServer(settings, port);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitReadyAsync(client);
            using var stop = new CancellationTokenSource();
            var kiosks = Enumerable.Range(0, 8).Select(async kiosk =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await client.PostAsJsonAsync("/api/v1/offices/kita/tickets", new { service = kiosk % 2 == 0 ? "kita-address" : "kita-certificates" });
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                            acknowledged.Add((json.RootElement.GetProperty("id").GetGuid(), json.RootElement.GetProperty("number").GetString()!));
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
                    {
                        // The server died under the request: not acknowledged, so nothing is promised.
                    }
                }
            }).ToList();
            // Kill while the kiosks are busy: once this round has had some tickets acknowledged (however slow the machine).
            var before = acknowledged.Count;
            for (var wait = 0; wait < 900 && acknowledged.Count < before + 10; wait++)
            {
                await Task.Delay(100, Ct);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(Ct);
            await stop.CancelAsync();
            await Task.WhenAll(kiosks);
        }

        Assert.True(acknowledged.Count > 30, $"only {acknowledged.Count} tickets were acknowledged");
        var stored = await WithDb(db => db.Tickets.Where(t => t.OfficeId == "kita").Select(t => new { t.Id, t.Prefix, t.Number }).ToListAsync(Ct));
        var storedIds = stored.Select(t => t.Id).ToHashSet();
        Assert.All(acknowledged, a => Assert.Contains(a.Id, storedIds));
        Assert.Equal(acknowledged.Count, acknowledged.Select(a => a.Number).Distinct().Count());
        Assert.Equal(stored.Count, stored.Select(t => (t.Prefix, t.Number)).Distinct().Count());
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task WaitReadyAsync(HttpClient client)
    {
        for (var i = 0; i < 240; i++)
        {
            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("The server did not become ready.");
    }
}

public sealed class CrashTests_Sqlite(SqliteApp app) : CrashTests<SqliteApp>(app);

public sealed class CrashTests_Postgres(PostgresApp app) : CrashTests<PostgresApp>(app);
