using System.Globalization;
using System.Text.Json;

namespace Madoguchi.Bench;

/// <summary>
/// The reference's mixed peak profile (P5): of every 20 requests, 16 read a procedure from the public catalogue, 3 read
/// one of the caller's own applications (bearer token, an EF Core read by id with its owner checked) and 1 files a
/// submission (the durable path of the submissions bench). Open loop at rising total rates; a rate is carried when
/// there is no error, at least 95 % of it is achieved and p99 ≤ 300 ms. With <c>soak</c>, one rate for a long time
/// instead (the reference's P6: 2 h at half the 1,000/s floor), in windows, with the app's resident memory after each.
/// </summary>
internal static class MixedBench
{
    private const double P99CeilingMs = 300;

    public static async Task<int> RunAsync(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "sqlite";
        var soak = args.Length > 1 && args[1] == "soak";
        double Number(int at, double otherwise) => args.Length > at ? double.Parse(args[at], CultureInfo.InvariantCulture) : otherwise;
        var seconds = soak ? 0 : Number(1, 20);
        double[] rates = !soak && args.Length > 2 ? [.. args[2].Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture))] : [250, 500, 750, 1000, 1250, 1500];

        await using var target = await SubmissionBench.TargetAsync(provider);
        var port = Processes.FreePort();
        using var app = SubmissionBench.StartApp(target, port);
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
            var baseUri = new Uri($"http://127.0.0.1:{port}");
            await Processes.WaitReadyAsync(client, new Uri(baseUri, "/readyz"));
            var tokens = await SubmissionBench.TokensAsync(client, baseUri);
            var slugs = new HashSet<string>();
            foreach (var q in new[] { "届", "申請", "証明", "手当", "登録", "保険" })
            {
                using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri(baseUri, $"/api/v1/procedures?limit=1000&q={Uri.EscapeDataString(q)}")));
                slugs.UnionWith(json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()!));
            }
            var procedures = slugs.Order().ToList();
            Console.WriteLine($"{procedures.Count} procedures to read, {tokens.Length} residents");
            // Each resident's own applications to read back: (resident, id) pairs.
            var own = new List<(int Resident, string Id)>();
            for (var i = 0; i < 5 * tokens.Length; i++)
            {
                using var response = await client.SendAsync(SubmissionBench.Submit(baseUri, tokens[i % tokens.Length], Guid.NewGuid().ToString()));
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                own.Add((i % tokens.Length, json.RootElement.GetProperty("id").GetString()!));
            }

            HttpRequestMessage Next(int i)
            {
                switch (i % 20)
                {
                    case 0:
                        return SubmissionBench.Submit(baseUri, tokens[i / 20 % tokens.Length], Guid.NewGuid().ToString());
                    case 1 or 8 or 15:
                        var (resident, id) = own[i % own.Count];
                        var read = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"/api/v1/applications/{id}"));
                        read.Headers.Authorization = new("Bearer", tokens[resident]);
                        return read;
                    default:
                        return new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"/api/v1/procedures/{procedures[i % procedures.Count]}"));
                }
            }
            await LoadGenerator.RunAsync(client, "warm-up", Next, 200, TimeSpan.FromSeconds(15));
            // Tokens last an hour, so a soak signs the same residents in again before each window, as a client would.
            async Task RefreshAsync() => (await SubmissionBench.TokensAsync(client, baseUri)).CopyTo(tokens, 0);
            if (soak) return await SoakAsync(app, client, Next, RefreshAsync, provider, minutes: Number(2, 120), rate: Number(3, 500), window: Number(4, 10));

            Console.WriteLine($"Mixed profile on {provider} (80 % catalogue reads, 15 % own application reads, 5 % submissions): open loop, {seconds:0.#} s per step; carried = no errors, >= 95 % of the rate, p99 <= {P99CeilingMs} ms.");
            Console.WriteLine($"{"target/s",9} {"achieved/s",11} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"errors",7} {"submit p99",11} {"app CPU ms/req",15} {"load gen ms/req",16}");
            var best = 0.0;
            LoadGenerator.Result? atBest = null;
            foreach (var rate in rates)
            {
                var (result, cpuEach, loadEach) = await Processes.MeasuredStepAsync(app, client, "mixed", Next, rate, TimeSpan.FromSeconds(seconds), provider == "postgres");
                var submitP99 = LoadGenerator.Percentile([.. result.Samples.Where((_, i) => i % 20 == 0).Select(s => s.Latency).Order()], 0.99);
                Console.WriteLine($"{rate,9:0} {result.AchievedRate,11:0} {result.P50,8:0.0} {result.P95,8:0.0} {result.P99,8:0.0} {result.Errors,7} {submitP99,11:0.0} {cpuEach,15:0.00} {loadEach,16:0.00}");
                if (!result.Sustained(P99CeilingMs)) break;
                best = rate;
                atBest = result;
            }
            Console.WriteLine();
            Console.WriteLine($"Carried: {best:0}/s, ratio to the reference's floor of 1,000/s {best / 1000:0.00}" +
                (atBest is null ? "" : $"; p99 there {atBest.P99:0.0} ms, ratio to the {P99CeilingMs:0} ms ceiling {atBest.P99 / P99CeilingMs:0.00}"));
            return 0;
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// One rate for <paramref name="minutes"/>, in windows; the first window is the warm-up. Passes with no error, the
    /// app's resident memory at most 10 % above its size after the warm-up, and the last window's p99 at most 20 %
    /// above the first one's after the warm-up.
    /// </summary>
    private static async Task<int> SoakAsync(System.Diagnostics.Process app, HttpClient client, Func<int, HttpRequestMessage> next, Func<Task> refresh, string provider, double minutes, double rate, double window)
    {
        var windows = (int)Math.Ceiling(minutes / window);
        Console.WriteLine($"Soak on {provider}: the mixed profile at {rate:0}/s for {windows * window:0} min in windows of {window:0} min (the first is the warm-up).");
        Console.WriteLine($"{"minute",7} {"achieved/s",11} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7} {"submit p99",11} {"app RSS MB",11} {"app CPU ms/req",15}");
        var (p99s, rss, errors) = (new List<double>(), new List<double>(), 0);
        for (var w = 0; w < windows; w++)
        {
            await refresh();
            var (result, cpuEach, _) = await Processes.MeasuredStepAsync(app, client, "soak", next, rate, TimeSpan.FromMinutes(window), provider == "postgres");
            app.Refresh();
            var submitP99 = LoadGenerator.Percentile([.. result.Samples.Where((_, i) => i % 20 == 0).Select(s => s.Latency).Order()], 0.99);
            p99s.Add(result.P99);
            rss.Add(app.WorkingSet64 / 1048576.0);
            errors += result.Errors;
            // Which answers the errors were (0: none came), so a 503 turned away is told from a failure.
            var failed = string.Join(", ", result.Samples.Where(s => s.Status is 0 or >= 400).GroupBy(s => s.Status).Select(g => $"{g.Key} × {g.Count()}"));
            Console.WriteLine($"{(w + 1) * window,7:0} {result.AchievedRate,11:0} {result.P50,8:0.0} {result.P99,8:0.0} {result.Samples.Max(s => s.Latency),8:0} {result.Errors,7} {submitP99,11:0.0} {rss[^1],11:0} {cpuEach,15:0.00} {failed}");
        }
        if (windows < 3)
        {
            Console.WriteLine("A soak needs at least three windows: the warm-up, a first and a last.");
            return 2;
        }
        var growth = rss.Skip(1).Max() / rss[0] - 1;
        var drift = p99s[^1] / p99s[1] - 1;
        Console.WriteLine();
        Console.WriteLine($"errors {errors} (must be 0); resident memory after the warm-up {rss[0]:0} MB, at most {rss.Skip(1).Max():0} MB later: growth {growth:P0} (ceiling 10 %, ratio {growth / 0.10:0.00}); " +
            $"p99 {p99s[1]:0.0} ms in the first window after the warm-up, {p99s[^1]:0.0} ms in the last: drift {drift:P0} (ceiling 20 %, ratio {Math.Max(0, drift) / 0.20:0.00})");
        return errors == 0 && growth <= 0.10 && drift <= 0.20 ? 0 : 1;
    }
}
