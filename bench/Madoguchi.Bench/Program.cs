using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Madoguchi.Bench;

// Child mode: the bare ceiling server, a separate process like the app under test.
if (args is ["--bare-server", var barePort])
{
    var bare = WebApplication.CreateSlimBuilder();
    bare.Logging.ClearProviders();
    bare.WebHost.UseUrls($"http://127.0.0.1:{barePort}");
    var server = bare.Build();
    server.MapGet("/", () => "ok");
    await server.RunAsync();
    return 0;
}

if (args is ["--bare-submit-server", var submitPort, var submitProvider])
{
    await SubmissionBench.RunBareSubmitServerAsync(int.Parse(submitPort, CultureInfo.InvariantCulture), submitProvider);
    return 0;
}

if (args is ["--bare-sse", var ssePort])
{
    await BoardBench.RunBareServerAsync(int.Parse(ssePort, CultureInfo.InvariantCulture));
    return 0;
}

if (args is ["board", ..])
{
    return await BoardBench.RunAsync(args[1..]);
}

if (args is ["estimates"])
{
    return EstimateSimulation.Run();
}

if (args is ["submissions", ..])
{
    return await SubmissionBench.RunAsync(args[1..]);
}

if (args is ["overload", ..])
{
    return await SubmissionBench.OverloadAsync(args[1..]);
}

if (args is ["duplicates", ..])
{
    return await SubmissionBench.DuplicatesAsync(args[1..]);
}

if (args is ["mixed", ..])
{
    return await MixedBench.RunAsync(args[1..]);
}

if (args is ["crash", ..])
{
    return await SubmissionBench.CrashAsync(args[1..]);
}

if (args is ["restore", ..])
{
    return await RestoreBench.RunAsync(args[1..]);
}

if (args is ["tamper", ..])
{
    return await TamperBench.RunAsync(args[1..]);
}

if (args is ["cases", ..])
{
    return await CaseBench.RunAsync(args[1..]);
}

if (args is ["search", ..])
{
    return await SearchBench.RunAsync(args[1..]);
}

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
double[] rates = args.Length > 1 ? [.. args[1].Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture))] : [1000, 2000, 4000, 8000, 16000, 24000, 32000, 48000];
const double P99CeilingMs = 100;

var repo = Processes.FindRepo();
var work = Directory.CreateTempSubdirectory("madoguchi-bench-");
var appPort = Processes.FreePort();
var barePortNumber = Processes.FreePort();
var self = Path.Combine(AppContext.BaseDirectory, "Madoguchi.Bench.dll");
var webDll = Path.Combine(AppContext.BaseDirectory, "Madoguchi.Web.dll");

using var bareProcess = Processes.Start(self, ["--bare-server", barePortNumber.ToString(CultureInfo.InvariantCulture)], AppContext.BaseDirectory, []);
using var appProcess = Processes.Start(webDll, ["--urls", $"http://127.0.0.1:{appPort}"], Path.Combine(repo, "src", "Madoguchi.Web"), new()
{
    ["ASPNETCORE_ENVIRONMENT"] = "Development",
    ["Demo__Enabled"] = "true",
    ["ConnectionStrings__Madoguchi"] = $"Data Source={Path.Combine(work.FullName, "bench.db")}",
    ["Mail__PickupDirectory"] = Path.Combine(work.FullName, "mail"),
    ["Logging__LogLevel__Default"] = "Warning",
});

try
{
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
    var bareUrl = new Uri($"http://127.0.0.1:{barePortNumber}/");
    var appBase = new Uri($"http://127.0.0.1:{appPort}");
    await Processes.WaitReadyAsync(client, bareUrl);
    await Processes.WaitReadyAsync(client, new Uri(appBase, "/readyz"));

    var targets = new (string Name, Uri Url)[] { ("bare endpoint (ceiling)", bareUrl), ("app /healthz", new Uri(appBase, "/healthz")), ("app home page", new Uri(appBase, "/")) };
    foreach (var (_, url) in targets)
    {
        await LoadGenerator.RunAsync(client, "warm-up", url, 200, TimeSpan.FromSeconds(2));
    }

    Console.WriteLine($"Open-loop load, {seconds:0.#} s per step; a rate is sustained when achieved >= 95% of target, no errors and p99 <= {P99CeilingMs} ms.");
    Console.WriteLine($"{"scenario",-26} {"target/s",9} {"achieved/s",11} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"errors",7}");
    // Each scenario steps up the rates until it can no longer sustain one.
    var best = targets.ToDictionary(t => t.Name, _ => 0.0);
    var stopped = new HashSet<string>();
    var atRate = new Dictionary<(string, double), LoadGenerator.Result>();
    foreach (var rate in rates)
    {
        foreach (var (name, url) in targets.Where(t => !stopped.Contains(t.Name)))
        {
            var result = await LoadGenerator.RunAsync(client, name, url, rate, TimeSpan.FromSeconds(seconds));
            atRate[(name, rate)] = result;
            Console.WriteLine($"{name,-26} {rate,9:0} {result.AchievedRate,11:0} {result.P50,8:0.0} {result.P95,8:0.0} {result.P99,8:0.0} {result.Errors,7}");
            if (result.Sustained(P99CeilingMs)) best[name] = rate;
            else stopped.Add(name);
        }
    }

    Console.WriteLine();
    var ceiling = best[targets[0].Name];
    Console.WriteLine($"Highest sustained rate, as a ratio of the bare ceiling ({ceiling:0}/s):");
    foreach (var (name, _) in targets.Skip(1))
    {
        Console.WriteLine($"  {name,-24} {best[name],6:0}/s  ratio {(ceiling == 0 ? 0 : best[name] / ceiling):0.00}");
    }
    var common = rates.Where(rate => targets.All(t => atRate.ContainsKey((t.Name, rate)))).DefaultIfEmpty(rates[0]).Max();
    Console.WriteLine($"p99 latency at {common:0}/s, as a ratio of the bare endpoint's:");
    foreach (var (name, _) in targets.Skip(1))
    {
        if (atRate.TryGetValue((name, common), out var r) && atRate.TryGetValue((targets[0].Name, common), out var c))
        {
            Console.WriteLine($"  {name,-24} p99 {r.P99,7:0.0} ms vs {c.P99,6:0.0} ms  ratio {r.P99 / Math.Max(c.P99, 0.001):0.0}");
        }
    }
    return 0;
}
finally
{
    foreach (var process in new[] { appProcess, bareProcess })
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
    }
    try { work.Delete(recursive: true); } catch (IOException) { }
}
