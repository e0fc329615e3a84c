using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Madoguchi.Bench;

/// <summary>
/// Live boards: N server-sent-event connections spread over 30 offices while each office calls a ticket every 5 s;
/// call-to-screen latency against a bare Kestrel fan-out of the same shape measured in the same run; then a kill -9
/// of the app with every screen connected, and how many resync to the current state within 30 s of the restart.
/// </summary>
internal static class BoardBench
{
    private const int Offices = 30;
    private const double CallEverySeconds = 5;
    private const double CeilingMs = 1000;

    /// <summary>The bare ceiling: a minimal Kestrel app that holds event streams and broadcasts what is posted.</summary>
    public static async Task RunBareServerAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var streams = new ConcurrentDictionary<string, ConcurrentDictionary<Guid, System.Threading.Channels.Channel<string>>>();
        app.MapGet("/", () => "ok");
        app.MapGet("/events/{office}", async (string office, HttpContext http, CancellationToken ct) =>
        {
            http.Response.ContentType = "text/event-stream";
            var channel = System.Threading.Channels.Channel.CreateUnbounded<string>();
            var id = Guid.NewGuid();
            streams.GetOrAdd(office, _ => new()).TryAdd(id, channel);
            try
            {
                await http.Response.WriteAsync("event: board\ndata: {\"counters\":[]}\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
                await foreach (var message in channel.Reader.ReadAllAsync(ct))
                {
                    await http.Response.WriteAsync(message, ct);
                    await http.Response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                streams[office].TryRemove(id, out _);
            }
        });
        app.MapPost("/publish/{office}/{number}", (string office, string number) =>
        {
            var message = $"event: board\ndata: {{\"counters\":[{{\"id\":\"c\",\"now\":\"{number}\"}}]}}\n\n";
            foreach (var channel in streams.GetValueOrDefault(office)?.Values ?? Enumerable.Empty<System.Threading.Channels.Channel<string>>())
            {
                channel.Writer.TryWrite(message);
            }
            return Results.Ok();
        });
        await app.RunAsync();
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var connections = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var repo = Processes.FindRepo();
        var work = Directory.CreateTempSubdirectory("madoguchi-board-bench-");
        var self = Path.Combine(AppContext.BaseDirectory, "Madoguchi.Bench.dll");
        var webDll = Path.Combine(AppContext.BaseDirectory, "Madoguchi.Web.dll");
        var webRoot = Path.Combine(repo, "src", "Madoguchi.Web");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Demo__Enabled"] = "true",
            ["ConnectionStrings__Madoguchi"] = $"Data Source={Path.Combine(work.FullName, "board.db")}",
            ["Mail__PickupDirectory"] = Path.Combine(work.FullName, "mail"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["RateLimits__TicketsPerMinute"] = "100000",
        };
        var barePort = Processes.FreePort();
        var appPort = Processes.FreePort();
        var bare = new Uri($"http://127.0.0.1:{barePort}");
        var node = new Uri($"http://127.0.0.1:{appPort}");
        Process? appProcess = null;
        using var bareProcess = Processes.Start(self, ["--bare-sse", barePort.ToString(CultureInfo.InvariantCulture)], AppContext.BaseDirectory, []);
        try
        {
            using var control = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            appProcess = Processes.Start(webDll, ["--urls", node.ToString()], webRoot, environment);
            await Processes.WaitReadyAsync(control, new Uri(node, "/readyz"));
            using (var generate = Processes.Start(webDll, ["generate-offices", Offices.ToString(CultureInfo.InvariantCulture)], webRoot, environment))
            {
                await generate.WaitForExitAsync();
            }
            var offices = Enumerable.Range(1, Offices).Select(n => $"office-{n:D3}").ToArray();
            await Processes.WaitReadyAsync(control, bare);
            using var staff = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(30) };
            staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(staff));

            Console.WriteLine($"{connections} screens over {Offices} offices, one call per office every {CallEverySeconds} s, {seconds} s per run; ceiling p99 {CeilingMs} ms.");
            var ceiling = await MeasureAsync("bare Kestrel fan-out", connections, offices, seconds, office => new Uri(bare, $"/events/{office}"),
                async (office, number) => (await control.PostAsync(new Uri(bare, $"/publish/{office}/{number}"), null)).EnsureSuccessStatusCode());
            // The tickets are taken first (C-001, C-002 … at every office), so a round's call is the call alone.
            foreach (var office in offices)
            {
                for (var i = 0; i < (int)(seconds / CallEverySeconds); i++)
                {
                    (await staff.PostAsJsonAsync($"/api/v1/offices/{office}/tickets", new { service = $"{office}-certificates" })).EnsureSuccessStatusCode();
                }
            }
            var measured = await MeasureAsync("app board (SQLite)", connections, offices, seconds, office => new Uri(node, $"/counters/{office}/board/events"),
                async (office, _) =>
                {
                    using var response = await staff.PostAsync($"/api/v1/staff/counters/{office}-4/call-next", null);
                    response.EnsureSuccessStatusCode();
                });
            Console.WriteLine($"p99 call-to-screen: app {measured.P99:0} ms vs bare {ceiling.P99:0} ms (ratio {measured.P99 / Math.Max(1, ceiling.P99):0.0}); app p99 / {CeilingMs} ms ceiling = {measured.P99 / CeilingMs:0.00}.");

            // Reconnect storm: every screen connected, the app killed (kill -9) and started again.
            using var storm = new Screens(connections, offices, office => new Uri(node, $"/counters/{office}/board/events"), null);
            await storm.WaitConnectedAsync(TimeSpan.FromSeconds(60));
            appProcess.Kill(entireProcessTree: true);
            await appProcess.WaitForExitAsync();
            storm.ForgetSnapshots();
            var restart = Stopwatch.StartNew();
            appProcess = Processes.Start(webDll, ["--urls", node.ToString()], webRoot, environment);
            var within = await storm.WaitResyncedAsync(TimeSpan.FromSeconds(30));
            Console.WriteLine($"Reconnect storm: {within.Resynced}/{connections} screens ({100.0 * within.Resynced / connections:0.0} %) had a fresh full board {within.Elapsed.TotalSeconds:0.0} s after the restart began (target ≥ 99 % within 30 s).");
            return 0;
        }
        finally
        {
            if (appProcess is { HasExited: false }) appProcess.Kill(entireProcessTree: true);
            if (!bareProcess.HasExited) bareProcess.Kill(entireProcessTree: true);
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private sealed record Measurement(int Deliveries, int Missed, double P50, double P95, double P99);

    private static async Task<Measurement> MeasureAsync(string name, int connections, string[] offices, double seconds, Func<string, Uri> stream, Func<string, string, Task> call)
    {
        var sent = new ConcurrentDictionary<string, long>();
        using var screens = new Screens(connections, offices, stream, sent);
        await screens.WaitConnectedAsync(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        var rounds = (int)(seconds / CallEverySeconds);
        var callers = offices.Select(async (office, index) =>
        {
            // Offices call at evenly spread moments, not all at once.
            await Task.Delay(TimeSpan.FromSeconds(CallEverySeconds * index / offices.Length));
            for (var round = 0; round < rounds; round++)
            {
                var started = Stopwatch.GetTimestamp();
                var number = $"C-{round + 1:D3}";
                sent[$"{office}/{number}"] = started;
                await call(office, number);
                await Task.Delay(TimeSpan.FromSeconds(CallEverySeconds));
            }
        });
        await Task.WhenAll(callers);
        await Task.Delay(2000);
        var latencies = screens.Latencies.Order().ToArray();
        var expected = (long)rounds * connections;
        double At(double p) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        var result = new Measurement(latencies.Length, (int)Math.Max(0, expected - latencies.Length), At(0.5), At(0.95), At(0.99));
        Console.WriteLine($"{name,-22} deliveries {result.Deliveries,7} (missed {result.Missed})  p50 {result.P50,7:0.0} ms  p95 {result.P95,7:0.0} ms  p99 {result.P99,7:0.0} ms  ({clock.Elapsed.TotalSeconds:0} s)");
        return result;
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/demo/token", new { staff = "clerk" });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Screens that hold an event stream each, reconnect like EventSource (after about a second), and record when each called number arrives.</summary>
    private sealed class Screens : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly HttpClient client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 5000, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = Timeout.InfiniteTimeSpan };
        private readonly ConcurrentDictionary<string, long>? sent;
        private readonly bool[] connected;
        private readonly bool[] fresh;
        private readonly List<Task> tasks = [];
        public ConcurrentBag<double> Latencies { get; } = [];

        public Screens(int count, string[] offices, Func<string, Uri> stream, ConcurrentDictionary<string, long>? sent)
        {
            this.sent = sent;
            connected = new bool[count];
            fresh = new bool[count];
            for (var i = 0; i < count; i++)
            {
                var index = i;
                tasks.Add(Task.Run(() => RunAsync(index, offices[index % offices.Length], stream)));
            }
        }

        private async Task RunAsync(int index, string office, Func<string, Uri> stream)
        {
            var seen = new HashSet<string>();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync(stream(office), HttpCompletionOption.ResponseHeadersRead, stop.Token);
                    response.EnsureSuccessStatusCode();
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
                    connected[index] = true;
                    while (await reader.ReadLineAsync(stop.Token) is { } line)
                    {
                        if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                        var now = Stopwatch.GetTimestamp();
                        fresh[index] = true;
                        if (sent is null) continue;
                        using var json = JsonDocument.Parse(line[6..]);
                        foreach (var counter in json.RootElement.GetProperty("counters").EnumerateArray())
                        {
                            if (counter.TryGetProperty("now", out var value) && value.GetString() is { } number && seen.Add(number) && sent.TryGetValue($"{office}/{number}", out var started))
                            {
                                Latencies.Add(Stopwatch.GetElapsedTime(started, now).TotalMilliseconds);
                            }
                        }
                    }
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                }
                connected[index] = false;
                try { await Task.Delay(TimeSpan.FromMilliseconds(800 + Random.Shared.Next(400)), stop.Token); } catch (OperationCanceledException) { }
            }
        }

        public async Task WaitConnectedAsync(TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (connected.Count(c => c) < connected.Length && clock.Elapsed < limit) await Task.Delay(100);
        }

        public void ForgetSnapshots() => Array.Clear(fresh);

        public async Task<(int Resynced, TimeSpan Elapsed)> WaitResyncedAsync(TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (fresh.Count(f => f) < fresh.Length * 0.99 && clock.Elapsed < limit) await Task.Delay(100);
            return (fresh.Count(f => f), clock.Elapsed);
        }

        public void Dispose()
        {
            stop.Cancel();
            client.Dispose();
            stop.Dispose();
        }
    }
}
