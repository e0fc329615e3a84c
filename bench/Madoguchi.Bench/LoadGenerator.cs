using System.Diagnostics;

namespace Madoguchi.Bench;

/// <summary>
/// Open-loop load: requests leave at a constant arrival rate whether or not earlier ones have answered,
/// and latency is measured from the intended send time, so a slow server cannot hide its queue
/// (no coordinated omission).
/// </summary>
internal static class LoadGenerator
{
    public sealed record Result(string Name, double TargetRate, double AchievedRate, int Sent, int Errors, double P50, double P95, double P99)
    {
        public bool Sustained(double p99CeilingMs) => Errors == 0 && AchievedRate >= TargetRate * 0.95 && P99 <= p99CeilingMs;

        /// <summary>Every request's latency from its intended send time and its status (0 when no answer came).</summary>
        public IReadOnlyList<(double Latency, int Status)> Samples { get; init; } = [];
    }

    public static Task<Result> RunAsync(HttpClient client, string name, Uri url, double rate, TimeSpan duration) =>
        RunAsync(client, name, _ => url, rate, duration);

    /// <summary>Request i goes to urls(i), so a scenario can rotate through a set of queries.</summary>
    public static Task<Result> RunAsync(HttpClient client, string name, Func<int, Uri> urls, double rate, TimeSpan duration) =>
        RunAsync(client, name, i => new HttpRequestMessage(HttpMethod.Get, urls(i)), rate, duration);

    /// <summary>Request i is requests(i): any method, headers and body.</summary>
    public static async Task<Result> RunAsync(HttpClient client, string name, Func<int, HttpRequestMessage> requests, double rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var statuses = new int[total];
        var errors = 0;
        var tasks = new Task[total];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var intended = TimeSpan.FromSeconds(i / rate);
            var wait = intended - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                try
                {
                    using var request = requests(index);
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    statuses[index] = (int)response.StatusCode;
                    if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
                latencies[index] = (clock.Elapsed - intended).TotalMilliseconds;
            });
        }
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        var samples = latencies.Zip(statuses).ToList();
        Array.Sort(latencies);
        return new Result(name, rate, total / elapsed, total, errors, Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99))
        {
            Samples = samples,
        };
    }

    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
