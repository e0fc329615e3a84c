using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Madoguchi.Bench;

/// <summary>
/// The reference's D10 drill: a city's worth of submitted applications, a backup taken while the app serves, the
/// database lost, then restored from the backup and served again. Times the backup, the restore and the start on the
/// restored database, then checks it: every application of the backup there, and <c>verify-audit</c> intact.
/// SQLite: the app's <c>backup</c> verb (VACUUM INTO), restored by copying the file back. PostgreSQL: pg_dump in its
/// custom format and pg_restore into a new, empty database.
/// </summary>
internal static class RestoreBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "sqlite";
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        await using var target = await SubmissionBench.TargetAsync(provider);
        var port = Processes.FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        using var client = new HttpClient();
        var app = SubmissionBench.StartApp(target, port);
        await Processes.WaitReadyAsync(client, new Uri(baseUri, "/readyz"));
        var tokens = await SubmissionBench.TokensAsync(client, baseUri);
        using (var response = await client.SendAsync(SubmissionBench.Submit(baseUri, tokens[0], "template")))
        using (var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            await Stop(app);
            await Preload.StoreAsync(target, json.RootElement.GetProperty("id").GetGuid(), count);
        }
        var stored = await CountAsync(target);

        // The backup, taken while the app serves (both tools take a consistent snapshot of a live database).
        app = SubmissionBench.StartApp(target, port);
        await Processes.WaitReadyAsync(client, new Uri(baseUri, "/readyz"));
        var backup = Path.Combine(target.Work.FullName, provider == "sqlite" ? "backup.db" : "backup.dump");
        var clock = Stopwatch.StartNew();
        var pg = provider == "sqlite" ? null : new NpgsqlConnectionStringBuilder(target.ConnectionString);
        var backedUp = pg is null
            ? await RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "Madoguchi.Web.dll"), "backup", backup], target.Environment)
            : await RunAsync("pg_dump", [.. PgArguments(pg), "--format=custom", $"--file={backup}", pg.Database!], Password(pg));
        var backupTime = clock.Elapsed;
        await Stop(app);
        if (!backedUp) return 1;

        // The database is lost, and restored from the backup.
        clock.Restart();
        bool restored;
        if (pg is null)
        {
            SqliteConnection.ClearAllPools();
            var file = new SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
            File.Copy(backup, file);
            restored = true;
        }
        else
        {
            await AdminAsync($"DROP DATABASE {pg.Database} WITH (FORCE)");
            await AdminAsync($"CREATE DATABASE {pg.Database}");
            restored = await RunAsync("pg_restore", [.. PgArguments(pg), "--jobs=2", $"--dbname={pg.Database}", backup], Password(pg));
        }
        var restoreTime = clock.Elapsed;
        if (!restored) return 1;
        app = SubmissionBench.StartApp(target, port);
        await Processes.WaitReadyAsync(client, new Uri(baseUri, "/readyz"));
        var serving = clock.Elapsed;
        await Stop(app);
        var back = await CountAsync(target);
        clock.Restart();
        var audit = await RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "Madoguchi.Web.dll"), "verify-audit"], target.Environment);
        var verifyTime = clock.Elapsed;

        Console.WriteLine();
        Console.WriteLine($"Backup and restore on {provider}, {stored:N0} applications stored (backup {new FileInfo(backup).Length / 1048576.0:N0} MB):");
        Console.WriteLine($"backup while serving {backupTime.TotalSeconds:0.0} s; restore {restoreTime.TotalSeconds:0.0} s; serving again {serving.TotalSeconds:0.0} s after the restore began (ratio to the 15 min ceiling {serving.TotalMinutes / 15:0.00})");
        Console.WriteLine($"applications after the restore {back:N0} of {stored:N0}; verify-audit {(audit ? "intact" : "FAILED")} after {verifyTime.TotalSeconds:0.0} s");
        return back == stored && audit ? 0 : 1;

        static async Task Stop(Process app)
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            app.Dispose();
        }
    }

    private static string[] PgArguments(NpgsqlConnectionStringBuilder pg) => [$"--host={pg.Host}", $"--port={pg.Port}", $"--username={pg.Username}"];

    private static Dictionary<string, string> Password(NpgsqlConnectionStringBuilder pg) => new() { ["PGPASSWORD"] = pg.Password ?? "" };

    private static async Task AdminAsync(string sql)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("MADOGUCHI_BENCH_POSTGRES"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(SubmissionBench.Target target)
    {
        await using var db = Preload.Open(target);
        return await db.Applications.LongCountAsync();
    }

    private static async Task<bool> RunAsync(string program, string[] arguments, Dictionary<string, string> environment)
    {
        var (exit, output) = await Processes.RunToEndAsync(program, arguments, environment);
        if (exit != 0) Console.Error.WriteLine($"{program} {string.Join(' ', arguments)}: exit {exit}{Environment.NewLine}{output}");
        return exit == 0;
    }
}
