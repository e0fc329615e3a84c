using System.Globalization;
using System.Text.Json;

namespace Madoguchi.Bench;

/// <summary>
/// The reference's mixed peak profile (P5): of every 20 requests, 16 read a procedure from the public catalogue, 3 read
/// one of the caller's own applications (bearer token, an EF Core read by id with its owner checked) and 1 files a
/// submission (the durable path of the submissions bench). Open loop at rising total rates; a rate is carried when
/// there is no error, at least 95 % of it is achieved and p99 ≤ 300 ms.
/// </summary>
internal static class MixedBench
{
    private const double P99CeilingMs = 300;

    public static async Task<int> RunAsync(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "sqlite";
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        double[] rates = args.Length > 2 ? [.. args[2].Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture))] : [250, 500, 750, 1000, 1250, 1500];

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
            // Each resident's own applications to read back: (token, id) pairs.
            var own = new List<(string Token, string Id)>();
            for (var i = 0; i < 5 * tokens.Length; i++)
            {
                var token = tokens[i % tokens.Length];
                using var response = await client.SendAsync(SubmissionBench.Submit(baseUri, token, Guid.NewGuid().ToString()));
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                own.Add((token, json.RootElement.GetProperty("id").GetString()!));
            }

            HttpRequestMessage Next(int i)
            {
                switch (i % 20)
                {
                    case 0:
                        return SubmissionBench.Submit(baseUri, tokens[i / 20 % tokens.Length], Guid.NewGuid().ToString());
                    case 1 or 8 or 15:
                        var (token, id) = own[i % own.Count];
                        var read = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"/api/v1/applications/{id}"));
                        read.Headers.Authorization = new("Bearer", token);
                        return read;
                    default:
                        return new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"/api/v1/procedures/{procedures[i % procedures.Count]}"));
                }
            }
            await LoadGenerator.RunAsync(client, "warm-up", Next, 200, TimeSpan.FromSeconds(15));

            Console.WriteLine($"Mixed profile on {provider} (80 % catalogue reads, 15 % own application reads, 5 % submissions): open loop, {seconds:0.#} s per step; carried = no errors, >= 95 % of the rate, p99 <= {P99CeilingMs} ms.");
            Console.WriteLine($"{"target/s",9} {"achieved/s",11} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"errors",7} {"submit p99",11} {"app CPU ms/req",15} {"load gen ms/req",16}");
            var best = 0.0;
            LoadGenerator.Result? atBest = null;
            foreach (var rate in rates)
            {
                var (result, cpuEach, loadEach) = await Processes.MeasuredStepAsync(app, client, "mixed", Next, rate, TimeSpan.FromSeconds(seconds));
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
}
