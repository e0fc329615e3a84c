using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Platform.Audit;
using Madoguchi.Web.Platform.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Madoguchi.Tests;

/// <summary>The operations verbs and start-up refusals, run as a separate process like an operator would.</summary>
public abstract class OperationsTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private async Task<TestDatabase> FreshAsync() => await TestDatabase.CreateAsync(App.Provider);

    /// <summary>An API client signed in as a demo resident, and a submission of a pregnancy notification with a given key.</summary>
    protected static async Task<(HttpClient Client, Func<string, Task<(HttpStatusCode Status, TimeSpan? RetryAfter, string Body)>> Submit)> SubmitterAsync(MadoguchiApp node)
    {
        var client = node.Api();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await DemoApiTests<TApp>.TokenAsync(client, new { persona = "expecting-couple" }));
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ja");
        return (client, async key =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications")
            {
                Content = JsonContent.Create(PregnancyNotice()),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        });
    }

    /// <summary>An outage's answer: 503 with Retry-After, in the resident's language, naming nothing internal.</summary>
    protected static void AssertOutage((HttpStatusCode Status, TimeSpan? RetryAfter, string Body) answer, params string[] internals)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Equal(TimeSpan.FromSeconds(5), answer.RetryAfter);
        Assert.Contains("一時的に利用できません", answer.Body, StringComparison.Ordinal);
        foreach (var text in internals.Concat(["Exception", "   at "]))
        {
            Assert.DoesNotContain(text, answer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Migrate_brings_a_new_database_up_to_date_and_production_refuses_to_start_before_it_or_without_its_public_address()
    {
        await using var database = await FreshAsync();
        var settings = database.Settings();
        // Audit checkpoints with a key anyone could guess would vouch for nothing.
        settings["Audit:CheckpointDirectory"] = Path.Combine(Path.GetTempPath(), "madoguchi-never-written");
        settings["Audit:CheckpointKey"] = "short";
        var refused = await AppProcess.RunAsync(settings, "Production");
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("pending migration", refused.All);
        Assert.Contains("migrate", refused.All);
        // Mail and the payment provider need the address residents use, which nothing outside a request can tell.
        Assert.Contains("PublicUrl must be the site's address", refused.All);
        Assert.Contains("Audit:CheckpointKey must be a secret of at least 32 characters", refused.All);

        var migrate = await AppProcess.RunAsync(database.Settings(), "Production", "migrate");
        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains("Applied", migrate.Output);
        var again = await AppProcess.RunAsync(database.Settings(), "Production", "migrate");
        Assert.Contains("up to date", again.Output);
        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task Verify_audit_exits_zero_when_intact_and_names_the_first_bad_entry_otherwise()
    {
        await using var database = await FreshAsync();
        Assert.Equal(0, (await AppProcess.RunAsync(database.Settings(), "Development", "seed-demo")).ExitCode);
        int entries;
        await using (var db = database.CreateContext())
        {
            for (var i = 0; i < 3; i++)
            {
                db.Audit(TimeProvider.System, "system", "test.entry", $"thing:{i}");
                await db.SaveChangesAsync(Ct);
            }
            entries = await db.AuditEntries.CountAsync(Ct);
        }
        Assert.True(entries >= 3);
        var intact = await AppProcess.RunAsync(database.Settings(), "Production", "verify-audit");
        Assert.Equal(0, intact.ExitCode);
        Assert.Contains($"{entries} entries verified", intact.Output);

        await using (var db = database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET \"Action\" = 'test.rewritten' WHERE \"Sequence\" = 2", Ct);
        }
        var broken = await AppProcess.RunAsync(database.Settings(), "Production", "verify-audit");
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("broken at entry 2", broken.Error);
    }

    [Fact]
    public async Task Seed_demo_is_refused_in_production_and_unknown_verbs_are_explained()
    {
        await using var database = await FreshAsync();
        var seed = await AppProcess.RunAsync(database.Settings(), "Production", "seed-demo");
        Assert.Equal(1, seed.ExitCode);
        Assert.Contains("refuses", seed.Error);
        var unknown = await AppProcess.RunAsync(database.Settings(), "Production", "frobnicate");
        Assert.Equal(64, unknown.ExitCode);
        Assert.Contains("Verbs: migrate, seed-demo, verify-audit, backup", unknown.Error);
    }

    [Fact]
    public async Task An_operator_creates_the_first_administrator_who_then_signs_in_with_both_factors()
    {
        await using var database = await FreshAsync();
        Assert.Equal(0, (await AppProcess.RunAsync(database.Settings(), "Production", "migrate")).ExitCode);
        var created = await AppProcess.RunAsync(database.Settings(), "Production", "add-staff", "dx-admin", "--name", "推進 太郎", "--roles", "Administrator", "--departments", "dx");
        Assert.Equal(0, created.ExitCode);
        var password = created.Output.Split('\n').Single(l => l.StartsWith("Initial password: ", StringComparison.Ordinal))["Initial password: ".Length..].Trim();
        var secret = System.Web.HttpUtility.ParseQueryString(new Uri(created.Output.Split('\n').Single(l => l.Contains("otpauth://", StringComparison.Ordinal)).Split(": ", 2)[1].Trim()).Query)["secret"]!;

        var duplicate = await AppProcess.RunAsync(database.Settings(), "Production", "add-staff", "dx-admin", "--name", "誰か", "--roles", "Administrator", "--departments", "dx");
        Assert.Equal(1, duplicate.ExitCode);
        var badRole = await AppProcess.RunAsync(database.Settings(), "Production", "add-staff", "someone", "--name", "誰か", "--roles", "Mayor", "--departments", "dx");
        Assert.Contains("Roles must be one or more of", badRole.Error);

        await using var node = new MadoguchiApp(App.Provider) { SharedDatabase = database };
        node.Settings["Demo:Enabled"] = "false";
        await node.InitializeAsync();
        using var browser = node.Browser();
        var codePage = await browser.SubmitAsync(await browser.GetAsync("/staff/login"), fields: new Dictionary<string, string> { ["Input.LoginId"] = "dx-admin", ["Input.Password"] = password });
        Assert.Null(codePage.Document.QuerySelector("#demo-code"));
        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow);
        var home = await browser.SubmitAsync(codePage, fields: new Dictionary<string, string> { ["Code"] = code });
        Assert.Equal("/staff", home.Url.AbsolutePath);
        Assert.Contains("推進 太郎", home.Text);
        await using var db = database.CreateContext();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "staff.created" && e.Actor == "operator", Ct));
    }

    [Fact]
    public async Task Demo_mode_cannot_be_switched_on_in_production()
    {
        await using var database = await FreshAsync();
        var settings = database.Settings();
        settings["Demo:Enabled"] = "true";
        var result = await AppProcess.RunAsync(settings, "Production", "migrate");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Demo mode cannot be enabled in the Production environment", result.All);
    }
}

public sealed class OperationsTests_Sqlite(SqliteApp app) : OperationsTests<SqliteApp>(app)
{
    [Fact]
    public async Task Backup_writes_a_consistent_copy_that_opens_on_its_own_and_the_app_runs_on_it_once_restored()
    {
        await using var database = await TestDatabase.CreateAsync(App.Provider);
        Assert.Equal(0, (await AppProcess.RunAsync(database.Settings(), "Development", "seed-demo")).ExitCode);
        var target = Path.Combine(database.Folder, "backups", "copy.db");
        var backup = await AppProcess.RunAsync(database.Settings(), "Production", "backup", target);
        Assert.Equal(0, backup.ExitCode);
        await using var connection = new SqliteConnection($"Data Source={target};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = new SqliteCommand("SELECT count(*) FROM residents", connection);
        Assert.Equal(8L, await command.ExecuteScalarAsync(Ct));
        var again = await AppProcess.RunAsync(database.Settings(), "Production", "backup", target);
        Assert.Equal(1, again.ExitCode);

        // Restored: the copy (written in rollback-journal mode) becomes the app's database and is served as before.
        var restored = new Dictionary<string, string?>(database.Settings()) { ["ConnectionStrings:Madoguchi"] = $"Data Source={target}" };
        var migrate = await AppProcess.RunAsync(restored, "Production", "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.All);
        Assert.Contains("up to date", migrate.Output);
        var verify = await AppProcess.RunAsync(restored, "Production", "verify-audit");
        Assert.True(verify.ExitCode == 0, verify.All);
        await using var reopened = new SqliteConnection($"Data Source={target};Mode=ReadOnly;Pooling=False");
        await reopened.OpenAsync(Ct);
        await using var mode = new SqliteCommand("PRAGMA journal_mode", reopened);
        Assert.Equal("wal", await mode.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Verify_audit_checks_the_sqlite_file_first_and_names_a_damaged_one()
    {
        await using var database = await TestDatabase.CreateAsync(App.Provider);
        Assert.Equal(0, (await AppProcess.RunAsync(database.Settings(), "Development", "seed-demo")).ExitCode);
        var intact = await AppProcess.RunAsync(database.Settings(), "Production", "verify-audit");
        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("SQLite file intact", intact.Output);

        // A disk that returned garbage: four pages past the header overwritten.
        var file = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        SqliteConnection.ClearAllPools();
        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 2 * 4096;
            await stream.WriteAsync(Enumerable.Repeat((byte)0x55, 4 * 4096).ToArray(), Ct);
        }
        var damaged = await AppProcess.RunAsync(database.Settings(), "Production", "verify-audit");
        Assert.Equal(3, damaged.ExitCode);
        Assert.Contains("SQLite file is damaged", damaged.Error);
    }

    [Fact]
    public async Task A_sqlite_connection_that_never_syncs_is_reported_as_unsafe()
    {
        await using var database = await TestDatabase.CreateAsync(App.Provider);
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using (var command = new SqliteCommand("PRAGMA synchronous=OFF;", connection))
        {
            await command.ExecuteNonQueryAsync(Ct);
        }
        var problems = await Durability.SqliteProblemsAsync(connection, Ct);
        Assert.Contains(problems, p => p.Contains("journal_mode", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("synchronous is 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_an_io_error_on_commit_the_node_serves_reads_but_refuses_writes_until_restarted_and_the_retry_files_once()
    {
        await using var database = await TestDatabase.CreateAsync(App.Provider);
        var disk = new FailingDisk();
        await using var node = new MadoguchiApp(App.Provider) { SharedDatabase = database, ConfigureTestServices = s => s.AddSingleton<IInterceptor>(disk) };
        await node.InitializeAsync();
        var (client, submit) = await SubmitterAsync(node);
        using var _ = client;
        Assert.Equal(HttpStatusCode.Created, (await submit("before")).Status);

        // The commit reaches the file, then its fsync fails: whether the write will survive is unknown.
        disk.FailNextSubmission();
        AssertOutage(await submit("during"), "SQLite", "disk I/O");
        Assert.True(disk.Failed);

        // The disk answers again, but this node no longer trusts it: no write is taken, not even the retry, and
        // nothing is acknowledged; reads go on, and readiness fails so a balancer sends residents elsewhere.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await submit("during")).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await submit("after")).Status);
        using (var mine = await client.GetAsync("/api/v1/me/applications", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        }
        using (var ready = await client.GetAsync("/readyz", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        using (var live = await client.GetAsync("/healthz", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        using var browser = node.Browser();
        var office = await browser.GetAsync("/counters/chuo");
        Assert.Equal(HttpStatusCode.OK, office.Status);
        Assert.Contains("受付を止めています", office.Document.QuerySelector("#storage-fault")!.TextContent, StringComparison.Ordinal);
        var ticket = await browser.SubmitAsync(office, "main form");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ticket.Status);
        Assert.Equal("ただいまご利用いただけません", ticket.Document.QuerySelector("h1")!.TextContent.Trim());
        await node.DisposeAsync(); // the restart
        await using (var db = database.CreateContext())
        {
            Assert.Equal(0, await db.Applications.CountAsync(a => a.RequestKey != null && a.RequestKey.EndsWith(":after"), Ct));
        }

        // After the restart the retries with the same keys are answered from what the file holds, once each.
        await using var restarted = new MadoguchiApp(App.Provider) { SharedDatabase = database };
        await restarted.InitializeAsync();
        var (_, again) = await SubmitterAsync(restarted);
        Assert.Equal(HttpStatusCode.Created, (await again("during")).Status);
        Assert.Equal(HttpStatusCode.Created, (await again("after")).Status);
        await using (var db = database.CreateContext())
        {
            foreach (var key in new[] { "before", "during", "after" })
            {
                Assert.Equal(1, await db.Applications.CountAsync(a => a.RequestKey != null && a.RequestKey.EndsWith(":" + key), Ct));
            }
        }
        using var readyAgain = await restarted.Api().GetAsync("/readyz", Ct);
        Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
        using var browserAgain = restarted.Browser();
        Assert.Null((await browserAgain.GetAsync("/counters/chuo")).Document.QuerySelector("#storage-fault"));
    }

    /// <summary>
    /// A disk whose next fsync fails under a submission: the transaction has committed to the file, and the commit then
    /// reports SQLITE_IOERR_FSYNC, as SQLite does when the operating system returns an error from fsync.
    /// </summary>
    [Fact]
    public async Task When_the_group_commit_cannot_sync_the_wal_the_write_is_not_acknowledged_and_the_node_stops_writing()
    {
        await using var database = await TestDatabase.CreateAsync(App.Provider);
        // The group commit syncs the WAL through a link that the test can point elsewhere: at a folder, which cannot
        // be opened as a file, as a disk that has gone bad cannot be synced.
        var wal = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource + "-wal";
        var link = Path.Combine(database.Folder, "wal-link");
        File.CreateSymbolicLink(link, wal);
        await using var node = new MadoguchiApp(App.Provider)
        {
            SharedDatabase = database,
            ConfigureTestServices = s => s.AddSingleton(p => new SqliteGroupCommit(link, p.GetRequiredService<StorageFault>())),
        };
        await node.InitializeAsync();
        var (client, submit) = await SubmitterAsync(node);
        using var _ = client;
        Assert.Equal(HttpStatusCode.Created, (await submit("before")).Status);

        File.Delete(link);
        File.CreateSymbolicLink(link, database.Folder);
        AssertOutage(await submit("during"), "WAL", "Unauthorized");
        Assert.NotNull(node.Service<StorageFault>().Since);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await submit("after")).Status);
        using (var ready = await client.GetAsync("/readyz", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        await node.DisposeAsync(); // the restart

        // The write that was not acknowledged is filed once when retried on the restarted node; nothing else was taken.
        await using var restarted = new MadoguchiApp(App.Provider) { SharedDatabase = database };
        await restarted.InitializeAsync();
        var (_, again) = await SubmitterAsync(restarted);
        Assert.Equal(HttpStatusCode.Created, (await again("during")).Status);
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.Applications.CountAsync(a => a.RequestKey != null && a.RequestKey.EndsWith(":during"), Ct));
        Assert.Equal(0, await db.Applications.CountAsync(a => a.RequestKey != null && a.RequestKey.EndsWith(":after"), Ct));
    }

    private sealed class FailingDisk : DbTransactionInterceptor
    {
        private int armed;

        public bool Failed { get; private set; }

        public void FailNextSubmission() => armed = 1;

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (eventData.Context?.ChangeTracker.Entries<Madoguchi.Web.Features.Applications.Application>().Any() == true && Interlocked.Exchange(ref armed, 0) == 1)
            {
                Failed = true;
                throw new SqliteException("SQLite Error 10: 'disk I/O error'.", 10, 1034);
            }
            return Task.CompletedTask;
        }
    }
}

public sealed class OperationsTests_Postgres(PostgresApp app) : OperationsTests<PostgresApp>(app)
{
    [Fact]
    public async Task Backup_on_postgres_points_to_pg_dump()
    {
        var result = await AppProcess.RunAsync(App.Database.Settings(), "Production", "backup", Path.Combine(App.Database.Folder, "unused.db"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pg_dump", result.Error);
    }

    [Fact]
    public async Task Statements_run_again_and_again_are_prepared_on_the_server_once_per_connection()
    {
        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        await using var open = await db.KeepOpenAsync(Ct);
        for (var i = 0; i < 6; i++)
        {
            await db.Residents.AsNoTracking().Where(r => r.Email == "nobody@example.jp").ToListAsync(Ct);
        }
        var prepared = await db.Database.SqlQueryRaw<string>("SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync(Ct);
        Assert.Contains(prepared, p => p.Contains("FROM residents", StringComparison.Ordinal));

        // A connection string that says otherwise is obeyed, for poolers that cannot carry prepared statements.
        Assert.Contains("Max Auto Prepare=0", DatabaseSetup.PostgresConnectionString("Host=db;Max Auto Prepare=0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_the_database_is_down_requests_get_503_with_retry_after_and_nothing_internal_and_the_app_recovers_by_itself()
    {
        await using var database = await TestDatabase.CreateAsync(App.Provider);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var gate = TcpGate.To(direct.Host!, direct.Port);
        await using var node = new MadoguchiApp(App.Provider) { SharedDatabase = database };
        node.Settings["ConnectionStrings:Madoguchi"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = gate.Port }.ConnectionString;
        await node.InitializeAsync();
        var (client, submit) = await SubmitterAsync(node);
        using var _ = client;
        Assert.Equal(HttpStatusCode.Created, (await submit("before")).Status);

        // The database server goes away: connections reset, new ones refused.
        gate.Shut();
        AssertOutage(await submit("during"), "Npgsql", "Socket", gate.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var browser = node.Browser();
        var page = await browser.GetAsync("/counters/chuo");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.Status);
        Assert.Equal("ただいまご利用いただけません", page.Document.QuerySelector("h1")!.TextContent.Trim());
        Assert.DoesNotContain("Npgsql", page.Html, StringComparison.Ordinal);
        using (var ready = await client.GetAsync("/readyz", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        // It comes back: without a restart, the retry with the same key is filed, once.
        gate.Open();
        var back = System.Diagnostics.Stopwatch.StartNew();
        var retried = await submit("during");
        while (retried.Status != HttpStatusCode.Created && back.Elapsed < TimeSpan.FromSeconds(10))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, retried.Status);
            await Task.Delay(200, Ct);
            retried = await submit("during");
        }
        Assert.Equal(HttpStatusCode.Created, retried.Status);
        Assert.Equal(retried.Body, (await submit("during")).Body);
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.Applications.CountAsync(a => a.RequestKey != null && a.RequestKey.EndsWith(":during"), Ct));
    }

    [Fact]
    public async Task The_app_refuses_to_start_on_a_database_that_may_lose_acknowledged_commits()
    {
        await using var database = await TestDatabase.CreateAsync(App.Provider);
        await database.MigrateAsync();
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
        await using (var connection = new NpgsqlConnection(TestDatabase.PostgresServer))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand($"ALTER DATABASE {name} SET synchronous_commit = off", connection);
            await command.ExecuteNonQueryAsync(Ct);
        }
        var result = await AppProcess.RunAsync(database.Settings(), "Production");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("synchronous_commit is off", result.Error);
    }
}
