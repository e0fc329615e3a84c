using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Madoguchi.Bench;

/// <summary>Starting the servers under test as child processes and waiting for them.</summary>
internal static class Processes
{
    public static Process Start(string dll, string[] arguments, string workingDirectory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{Path.GetFileNameWithoutExtension(dll)}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs a program to its end, in the app's folder with extra environment, and returns its exit code and all it wrote.</summary>
    public static async Task<(int Exit, string Output)> RunToEndAsync(string program, IEnumerable<string> arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = Path.Combine(FindRepo(), "src", "Madoguchi.Web"), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? []) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public static async Task WaitReadyAsync(HttpClient client, Uri url)
    {
        for (var i = 0; i < 120; i++)
        {
            try
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"{url} did not become ready.");
    }

    /// <summary>
    /// CPU time used so far by the app and, on PostgreSQL and Linux, by every PostgreSQL process (its backends do the
    /// database's work in processes of their own; SQLite's is inside the app).
    /// </summary>
    public static TimeSpan CpuOf(Process app, bool postgres)
    {
        app.Refresh();
        var total = app.TotalProcessorTime;
        if (!postgres || !Directory.Exists("/proc")) return total;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                if (close < 0 || !stat.AsSpan(0, close).EndsWith("(postgres", StringComparison.Ordinal)) continue;
                // After the name: state is field 3, utime and stime fields 14 and 15, in clock ticks of 1/100 s.
                var fields = stat[(close + 2)..].Split(' ');
                total += TimeSpan.FromSeconds((long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        return total;
    }

    /// <summary>One open-loop step, with the CPU per request of the app (and database) and of this load generator.</summary>
    public static async Task<(LoadGenerator.Result Result, double AppCpuEach, double LoadCpuEach)> MeasuredStepAsync(
        Process app, HttpClient client, string name, Func<int, HttpRequestMessage> requests, double rate, TimeSpan duration, bool postgres)
    {
        var cpu = CpuOf(app, postgres);
        var load = Process.GetCurrentProcess().TotalProcessorTime;
        var result = await LoadGenerator.RunAsync(client, name, requests, rate, duration);
        return (result, (CpuOf(app, postgres) - cpu).TotalMilliseconds / result.Sent, (Process.GetCurrentProcess().TotalProcessorTime - load).TotalMilliseconds / result.Sent);
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Madoguchi.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run the bench from inside the repository.");
    }
}
