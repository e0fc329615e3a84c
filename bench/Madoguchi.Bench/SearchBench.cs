using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Madoguchi.Bench;

/// <summary>
/// Search on a catalogue of 10,000 generated procedures (plus the demo catalogue): latency at 20 queries/s and
/// above, against the bare endpoint at the same rates; then how long an edit published on one node takes to be
/// searchable on a second node sharing the database.
/// </summary>
internal static class SearchBench
{
    private static readonly string[] Queries =
    [
        "税", "犬", "転入", "児童手当", "国民健康保険", "住民票", "ひっこし", "赤ちゃんが生まれた", "亡くなった", "てんにゅう",
        "テンニュウ", "ﾃﾝﾆｭｳ", "じどうてあで", "介護", "保育所 申込", "印鑑", "年金", "出生届", "死亡", "水道",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        double[] rates = [20, 50, 100, 200];
        const double P95CeilingMs = 100;
        const double EditCeilingSeconds = 5;

        var repo = Processes.FindRepo();
        var work = Directory.CreateTempSubdirectory("madoguchi-search-bench-");
        var self = Path.Combine(AppContext.BaseDirectory, "Madoguchi.Bench.dll");
        var webDll = Path.Combine(AppContext.BaseDirectory, "Madoguchi.Web.dll");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Demo__Enabled"] = "true",
            ["ConnectionStrings__Madoguchi"] = $"Data Source={Path.Combine(work.FullName, "search.db")}",
            ["Mail__PickupDirectory"] = Path.Combine(work.FullName, "mail"),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var webRoot = Path.Combine(repo, "src", "Madoguchi.Web");
        var barePort = Processes.FreePort();
        var portA = Processes.FreePort();
        var portB = Processes.FreePort();
        var processes = new List<Process>();
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
            var nodeA = new Uri($"http://127.0.0.1:{portA}");
            var nodeB = new Uri($"http://127.0.0.1:{portB}");
            var bare = new Uri($"http://127.0.0.1:{barePort}/");
            processes.Add(Processes.Start(self, ["--bare-server", barePort.ToString(CultureInfo.InvariantCulture)], AppContext.BaseDirectory, []));
            processes.Add(Processes.Start(webDll, ["--urls", nodeA.ToString()], webRoot, environment));
            await Processes.WaitReadyAsync(client, new Uri(nodeA, "/readyz"));
            await Processes.WaitReadyAsync(client, bare);

            // The generated catalogue goes in through the app's own verb, on the database node A serves.
            using (var generate = Processes.Start(webDll, ["generate-catalog", size.ToString(CultureInfo.InvariantCulture)], webRoot, environment))
            {
                await generate.WaitForExitAsync();
                if (generate.ExitCode != 0) throw new InvalidOperationException("generate-catalog failed");
            }
            processes.Add(Processes.Start(webDll, ["--urls", nodeB.ToString()], webRoot, environment));
            await Processes.WaitReadyAsync(client, new Uri(nodeB, "/readyz"));
            var total = await TotalAsync(client, nodeA, "受け付ける");
            for (var i = 0; total < size && i < 100; i++)
            {
                await Task.Delay(200);
                total = await TotalAsync(client, nodeA, "受け付ける");
            }
            Console.WriteLine($"Catalogue: {total} generated procedures searchable (plus the demo catalogue).");

            Uri Query(int i) => new(nodeA, $"/api/v1/procedures?limit=20&q={Uri.EscapeDataString(Queries[i % Queries.Length])}");
            foreach (var q in Queries) await client.GetAsync(new Uri(nodeA, $"/api/v1/procedures?q={Uri.EscapeDataString(q)}"));
            await LoadGenerator.RunAsync(client, "warm-up", Query, 20, TimeSpan.FromSeconds(3));

            Console.WriteLine($"Open-loop search, {seconds:0.#} s per rate, {Queries.Length} queries in rotation (one- and two-character kanji, kana, synonyms, a typo); ceiling p95 {P95CeilingMs} ms.");
            Console.WriteLine($"{"scenario",-22} {"rate/s",7} {"achieved/s",11} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"errors",7}  p95 / ceiling   p95 / bare p95");
            foreach (var rate in rates)
            {
                var baseline = await LoadGenerator.RunAsync(client, "bare endpoint", bare, rate, TimeSpan.FromSeconds(Math.Min(seconds, 5)));
                var result = await LoadGenerator.RunAsync(client, "search", Query, rate, TimeSpan.FromSeconds(seconds));
                Console.WriteLine($"{"bare endpoint",-22} {rate,7:0} {baseline.AchievedRate,11:0.0} {baseline.P50,8:0.0} {baseline.P95,8:0.0} {baseline.P99,8:0.0} {baseline.Errors,7}");
                Console.WriteLine($"{"search (10k catalogue)",-22} {rate,7:0} {result.AchievedRate,11:0.0} {result.P50,8:0.0} {result.P95,8:0.0} {result.P99,8:0.0} {result.Errors,7}  {result.P95 / P95CeilingMs,13:0.00}   {result.P95 / Math.Max(baseline.P95, 0.001),14:0.0}");
            }

            // An edit published on node A, searched on node B until it appears.
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync(client, nodeA));
            var delays = new List<double>();
            for (var round = 0; round < 5; round++)
            {
                var word = $"ベンチ確認語{round}号";
                var slug = $"gen-{round:D5}";
                using var current = JsonDocument.Parse(await client.GetStringAsync(new Uri(nodeA, $"/api/v1/procedures/{slug}")));
                var content = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(current.RootElement.GetProperty("content").GetRawText())!;
                content["reading"] = JsonSerializer.SerializeToElement(word);
                (await client.PutAsJsonAsync(new Uri(nodeA, $"/api/v1/staff/catalog/procedures/{slug}"), content)).EnsureSuccessStatusCode();
                var clock = Stopwatch.StartNew();
                (await client.PostAsync(new Uri(nodeA, $"/api/v1/staff/catalog/procedures/{slug}/publish"), null)).EnsureSuccessStatusCode();
                while (await TotalAsync(client, nodeB, word) == 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
                {
                    await Task.Delay(20);
                }
                delays.Add(clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"Edit published on node A → searchable on node B: worst {delays.Max():0.00} s, median {delays.Order().ElementAt(delays.Count / 2):0.00} s; ratio to the {EditCeilingSeconds} s ceiling {delays.Max() / EditCeilingSeconds:0.00}.");
            return 0;
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.Dispose();
            }
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<int> TotalAsync(HttpClient client, Uri node, string q)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri(node, $"/api/v1/procedures?limit=1&q={Uri.EscapeDataString(q)}")));
        return json.RootElement.GetProperty("total").GetInt32();
    }

    private static async Task<string> AdminTokenAsync(HttpClient client, Uri node)
    {
        using var response = await client.PostAsJsonAsync(new Uri(node, "/api/v1/demo/token"), new { staff = "admin" });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}
