using System.Data.Common;

namespace Madoguchi.Web.Platform.Data;

/// <summary>
/// Checks at start that the database will keep what it acknowledges. A city hall that tells a resident
/// "received" must not lose the application on a power cut.
/// </summary>
public static class Durability
{
    public static async Task<IReadOnlyList<string>> ProblemsAsync(AppDb db, CancellationToken ct = default)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return db.IsPostgres ? await PostgresProblemsAsync(connection, ct) : await SqliteProblemsAsync(connection, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    internal static async Task<IReadOnlyList<string>> SqliteProblemsAsync(DbConnection connection, CancellationToken ct)
    {
        var problems = new List<string>();
        var journal = (await ScalarAsync(connection, "PRAGMA journal_mode;", ct)).ToUpperInvariant();
        if (journal != "WAL")
        {
            problems.Add($"SQLite journal_mode is {journal}, expected WAL (the file system may not support it).");
        }
        // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. NORMAL leaves the WAL's sync to the app's group commit (SqliteGroupCommit)
        // and still syncs at checkpoints; OFF never syncs, so a power cut could lose what was acknowledged.
        var synchronous = await ScalarAsync(connection, "PRAGMA synchronous;", ct);
        if (synchronous is not ("1" or "2" or "3"))
        {
            problems.Add($"SQLite synchronous is {synchronous}, expected NORMAL (1) with the app's group commit, FULL (2) or EXTRA (3).");
        }
        return problems;
    }

    internal static async Task<IReadOnlyList<string>> PostgresProblemsAsync(DbConnection connection, CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var (setting, bad) in new[] { ("fsync", "off"), ("synchronous_commit", "off"), ("full_page_writes", "off") })
        {
            var value = await ScalarAsync(connection, $"SHOW {setting};", ct);
            if (value == bad)
            {
                problems.Add($"PostgreSQL {setting} is {value}; acknowledged commits could be lost.");
            }
        }
        return problems;
    }

    private static async Task<string> ScalarAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}
