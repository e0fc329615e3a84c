using Madoguchi.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Madoguchi.Tests.Infrastructure;

/// <summary>A fresh database for one app under test: a SQLite file in a temp folder, or a new PostgreSQL database.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "MADOGUCHI_TEST_POSTGRES";

    private TestDatabase(DatabaseProvider provider, string connectionString, string folder, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Folder = folder;
        this.postgresName = postgresName;
    }

    private readonly string? postgresName;

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    /// <summary>A private temp folder for this app's files (SQLite file, mail pickup).</summary>
    public string Folder { get; }

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    public static string? SkipReason(DatabaseProvider provider) =>
        provider == DatabaseProvider.Postgres && PostgresServer is null
            ? $"PostgreSQL tests skipped: set {PostgresVariable} to a connection string of a server where databases can be created."
            : null;

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        var folder = Path.Combine(Path.GetTempPath(), "madoguchi-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (provider == DatabaseProvider.Sqlite)
        {
            return new TestDatabase(provider, $"Data Source={Path.Combine(folder, "madoguchi.db")}", folder, null);
        }
        var server = PostgresServer ?? throw new InvalidOperationException(SkipReason(provider));
        var name = "madoguchi_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, folder, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresServer);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {postgresName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public AppDb CreateContext() => Provider == DatabaseProvider.Sqlite
        ? new SqliteAppDb(new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite(ConnectionString).Options)
        : new PostgresAppDb(new DbContextOptionsBuilder<PostgresAppDb>().UseNpgsql(ConnectionString).Options);

    public async Task MigrateAsync()
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync();
    }

    /// <summary>The settings that point an app (in process or a child process) at this database.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Madoguchi"] = ConnectionString,
        ["Mail:PickupDirectory"] = Path.Combine(Folder, "mail"),
    };
}
