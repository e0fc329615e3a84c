using System.Diagnostics;

namespace Madoguchi.Tests.Infrastructure;

/// <summary>Runs the built app as its own process, the way an operator does: verbs, or a start that must refuse.</summary>
public static class AppProcess
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static string ProjectFolder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Madoguchi.slnx"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Madoguchi.slnx not found above the test binaries."), "src", "Madoguchi.Web");
        }
    }

    /// <summary>Starts the built app as a server on a port, for tests that kill it (kill -9) and start it again.</summary>
    public static Process StartServer(IDictionary<string, string?> settings, int port)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = ProjectFolder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Madoguchi.Web.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task<Result> RunAsync(IDictionary<string, string?> settings, string environment, params string[] args)
    {
        // The test project references the app, so its build output sits next to the tests.
        var dll = Path.Combine(AppContext.BaseDirectory, "Madoguchi.Web.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = ProjectFolder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // A guard against a hang, not a speed limit: CI runs this next to Chromium and the other suites on two cores.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app did not exit: {await output}{await error}");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
