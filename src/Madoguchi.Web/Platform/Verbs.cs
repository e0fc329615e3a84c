using Microsoft.Data.Sqlite;

namespace Madoguchi.Web.Platform;

/// <summary>Operations verbs on the same executable: dotnet run --project src/Madoguchi.Web -- &lt;verb&gt;.</summary>
/// <summary>An operations verb that a feature adds to the executable.</summary>
public interface IVerb
{
    string Name { get; }
    string Usage { get; }
    Task<int> RunAsync(IServiceProvider services, string[] args);
}

public static class Verbs
{
    /// <summary>Runs the verb named by the first argument and returns its exit code; null when there is no verb (start the app).</summary>
    public static async Task<int?> RunAsync(WebApplication app, string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return null;
        }
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        return args[0] switch
        {
            "migrate" => await MigrateAsync(db),
            "seed-demo" => await SeedDemoAsync(app, scope.ServiceProvider, db),
            "verify-audit" => await VerifyAuditAsync(db, scope.ServiceProvider.GetRequiredService<AuditCheckpoints>()),
            "backup" => await BackupAsync(db, args.Skip(1).FirstOrDefault()),
            var name when scope.ServiceProvider.GetServices<IVerb>().FirstOrDefault(v => v.Name == name) is { } verb
                => await verb.RunAsync(scope.ServiceProvider, args[1..]),
            _ => Usage(args[0], scope.ServiceProvider.GetServices<IVerb>()),
        };
    }

    private static int Usage(string verb, IEnumerable<IVerb> featureVerbs)
    {
        var usages = new[] { "migrate", "seed-demo", "verify-audit", "backup <file>" }.Concat(featureVerbs.Select(v => v.Usage));
        Console.Error.WriteLine($"Unknown verb '{verb}'. Verbs: {string.Join(", ", usages)}.");
        return 64;
    }

    private static async Task<int> MigrateAsync(AppDb db)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        Console.WriteLine(pending.Count == 0 ? "The database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
        return 0;
    }

    private static async Task<int> SeedDemoAsync(WebApplication app, IServiceProvider services, AppDb db)
    {
        if (app.Environment.IsProduction())
        {
            Console.Error.WriteLine("seed-demo refuses to run in the Production environment: demo accounts have published passwords.");
            return 1;
        }
        await db.Database.MigrateAsync();
        await PlatformSetup.SeedDemoAsync(services);
        Console.WriteLine("Demo residents and staff are in place.");
        return 0;
    }

    private static async Task<int> VerifyAuditAsync(AppDb db, AuditCheckpoints checkpoints)
    {
        if (!db.IsPostgres)
        {
            // After a storage fault (StorageFault), the file itself first: PostgreSQL checks its own on recovery.
            List<string> problems;
            try
            {
                problems = await db.Database.SqlQueryRaw<string>("SELECT integrity_check AS \"Value\" FROM pragma_integrity_check").ToListAsync();
            }
            catch (SqliteException e) when (StorageFault.IsFatal(e))
            {
                problems = [e.Message];
            }
            if (problems is not ["ok"])
            {
                Console.Error.WriteLine($"The SQLite file is damaged: {string.Join("; ", problems.Take(10))}. Restore the latest backup.");
                return 3;
            }
            Console.WriteLine("SQLite file intact (integrity_check).");
        }
        var result = await AuditLog.VerifyAsync(db, await checkpoints.ReadAsync(CancellationToken.None), CancellationToken.None);
        if (result.Intact)
        {
            Console.WriteLine(checkpoints.Enabled
                ? $"Audit log intact: {result.Checked} entries verified, reaching all {result.Checkpoints} signed checkpoints."
                : $"Audit log intact: {result.Checked} entries verified. No checkpoints are kept (Audit:CheckpointDirectory), so entries cut from its end would not show.");
            return 0;
        }
        Console.Error.WriteLine($"Audit log broken at entry {result.FirstBadSequence}: {result.Reason}. {result.Checked} entries before it verified.");
        return 2;
    }

    private static async Task<int> BackupAsync(AppDb db, string? file)
    {
        if (db.IsPostgres)
        {
            Console.Error.WriteLine("On PostgreSQL use pg_dump for a consistent online copy: pg_dump --format=custom --file=<file> <database> (see README, Operations).");
            return 2;
        }
        if (string.IsNullOrWhiteSpace(file))
        {
            Console.Error.WriteLine("Usage: backup <file>");
            return 64;
        }
        var target = Path.GetFullPath(file);
        if (File.Exists(target))
        {
            Console.Error.WriteLine($"{target} exists; choose a new file.");
            return 1;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // VACUUM INTO writes a consistent snapshot while the app keeps running.
        await using var connection = new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $target";
        command.Parameters.AddWithValue("$target", target);
        await command.ExecuteNonQueryAsync();
        // On the disk before it is reported written: a backup the page cache still holds is lost with the power.
        await using (var written = new FileStream(target, FileMode.Open, FileAccess.ReadWrite))
        {
            written.Flush(flushToDisk: true);
        }
        Console.WriteLine($"Backup written to {target}.");
        return 0;
    }
}
