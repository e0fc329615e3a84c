using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Madoguchi.Web.Platform.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public static class DatabaseSetup
{
    public const string DefaultSqlite = "Data Source=App_Data/madoguchi.db";

    public static DatabaseProvider Provider(IConfiguration configuration) =>
        (configuration["Database:Provider"] ?? "Sqlite").ToUpperInvariant() switch
        {
            "SQLITE" => DatabaseProvider.Sqlite,
            "POSTGRES" or "POSTGRESQL" => DatabaseProvider.Postgres,
            var other => throw new InvalidOperationException($"Database:Provider must be Sqlite or Postgres, was '{other}'."),
        };

    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        var connection = builder.Configuration.GetConnectionString("Madoguchi");
        builder.Services.AddSingleton<StorageFault>();
        switch (Provider(builder.Configuration))
        {
            case DatabaseProvider.Sqlite:
                var sqlite = SqliteConnectionString(connection ?? DefaultSqlite, builder.Environment.ContentRootPath);
                var file = new SqliteConnectionStringBuilder(sqlite).DataSource;
                builder.Services.AddSingleton(services => new SqliteGroupCommit(file == ":memory:" ? null : file + "-wal", services.GetRequiredService<StorageFault>()));
                builder.Services.AddSingleton<SqliteWriteGate>();
                builder.Services.AddDbContextPool<AppDb, SqliteAppDb>((services, o) => o
                    .UseSqlite(sqlite)
                    // The fault check before the gate, so that a refused write never queues for it.
                    .AddInterceptors(new SqlitePragmas(), services.GetRequiredService<StorageFault>(), services.GetRequiredService<SqliteWriteGate>())
                    .AddInterceptors(services.GetServices<IInterceptor>()));
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connection))
                {
                    throw new InvalidOperationException("ConnectionStrings:Madoguchi is required when Database:Provider is Postgres.");
                }
                var postgres = PostgresConnectionString(connection);
                builder.Services.AddDbContextPool<AppDb, PostgresAppDb>((services, o) => o
                    .UseNpgsql(postgres)
                    .AddInterceptors(services.GetServices<IInterceptor>()));
                break;
        }
        return builder;
    }

    /// <summary>Relative SQLite paths are resolved against the content root, and the folder is created.</summary>
    public static string SqliteConnectionString(string connection, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connection);
        if (csb.DataSource != ":memory:" && !Path.IsPathRooted(csb.DataSource))
        {
            csb.DataSource = Path.Combine(contentRoot, csb.DataSource);
        }
        var dir = Path.GetDirectoryName(csb.DataSource);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        csb.Pooling = true;
        return csb.ToString();
    }

    /// <summary>
    /// Statements the app runs again and again are prepared on the server once per pooled connection instead of parsed and
    /// planned every time (a fifth less database CPU per submission, ADR 0010). A connection string that sets
    /// Max Auto Prepare keeps its value: 0 turns this off for a pooler that cannot carry prepared statements.
    /// </summary>
    public static string PostgresConnectionString(string connection)
    {
        var csb = new Npgsql.NpgsqlConnectionStringBuilder(connection);
        if (!System.Text.RegularExpressions.Regex.IsMatch(connection, @"max\s*auto\s*prepare", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
        {
            csb.MaxAutoPrepare = 64;
        }
        return csb.ToString();
    }

    /// <summary>
    /// synchronous, foreign_keys and busy_timeout are per connection in SQLite, so every connection gets them, once: the
    /// pool hands the same native connection out again and again, and it keeps them. A read-only connection (EF Core
    /// opens one to ask whether the file exists) is left alone: on a file not yet in WAL mode, such as a restored
    /// backup, switching it is a write, which the first read-write connection then makes.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        // NORMAL: commits write the WAL without syncing it; SqliteGroupCommit syncs it before any commit is acknowledged.
        private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            if (connection is SqliteConnection { Handle: { } handle } sqlite
                && (!Configured.TryAdd(handle, handle) || new SqliteConnectionStringBuilder(sqlite.ConnectionString).Mode == SqliteOpenMode.ReadOnly))
            {
                return;
            }
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }
}

/// <summary>Used by dotnet-ef only; never by the running app.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDb>
{
    public SqliteAppDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDb>
{
    public PostgresAppDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAppDb>().UseNpgsql("Host=127.0.0.1;Database=madoguchi_design").Options);
}
