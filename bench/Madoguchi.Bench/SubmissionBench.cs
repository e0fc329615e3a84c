using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Madoguchi.Bench;

/// <summary>
/// Durable submissions through <c>POST /api/v1/applications</c> at constant rates, beside the ceiling of the same
/// rows written straight to the same database (one transaction per application, as the app does); and the crash
/// drill: kill -9 the app again and again under load, retry with the same keys, then audit what was acknowledged.
/// </summary>
internal static class SubmissionBench
{
    private const string PostgresVariable = "MADOGUCHI_BENCH_POSTGRES";
    private static readonly string[] Personas = ["single-adult", "expecting-couple", "moving-family", "newborn-parent", "senior", "foreign-resident", "bereaved"];

    internal sealed class Target : IAsyncDisposable
    {
        public required string Provider { get; init; }
        public required Dictionary<string, string> Environment { get; init; }
        public required string ConnectionString { get; init; }
        public string? PostgresName { get; init; }
        public required DirectoryInfo Work { get; init; }

        public async ValueTask DisposeAsync()
        {
            if (PostgresName is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(System.Environment.GetEnvironmentVariable(PostgresVariable));
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {PostgresName} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
            try { Work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    internal static async Task<Target> TargetAsync(string provider, string? sqliteDirectory = null)
    {
        var work = Directory.CreateTempSubdirectory("madoguchi-submit-bench-");
        var environment = new Dictionary<string, string>
        {
            // Not Development (whose extra checks cost CPU on every request) and not Production (which refuses demo mode).
            ["ASPNETCORE_ENVIRONMENT"] = "Bench",
            ["Security__RequireHttps"] = "false",
            ["Demo__Enabled"] = "true",
            // The bench counts and seeds its own cases.
            ["Demo__History"] = "false",
            ["Mail__PickupDirectory"] = Path.Combine(work.FullName, "mail"),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (provider == "sqlite")
        {
            var connectionString = $"Data Source={Path.Combine(sqliteDirectory ?? work.FullName, "bench.db")}";
            environment["ConnectionStrings__Madoguchi"] = connectionString;
            return new Target { Provider = provider, Environment = environment, ConnectionString = connectionString, Work = work };
        }
        var server = System.Environment.GetEnvironmentVariable(PostgresVariable)
            ?? throw new InvalidOperationException($"Set {PostgresVariable} to a PostgreSQL connection string where databases can be created.");
        var name = "madoguchi_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var pg = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        environment["Database__Provider"] = "Postgres";
        environment["ConnectionStrings__Madoguchi"] = pg;
        return new Target { Provider = provider, Environment = environment, ConnectionString = pg, PostgresName = name, Work = work };
    }

    internal static Process StartApp(Target target, int port) =>
        Processes.Start(Path.Combine(AppContext.BaseDirectory, "Madoguchi.Web.dll"), ["--urls", $"http://127.0.0.1:{port}"],
            Path.Combine(Processes.FindRepo(), "src", "Madoguchi.Web"), target.Environment);

    internal static async Task<string[]> TokensAsync(HttpClient client, Uri app)
    {
        var tokens = new List<string>();
        foreach (var persona in Personas)
        {
            using var response = await client.PostAsJsonAsync(new Uri(app, "/api/v1/demo/token"), new { persona });
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            tokens.Add(json.RootElement.GetProperty("access_token").GetString()!);
        }
        return [.. tokens];
    }

    private static readonly string Body = JsonSerializer.Serialize(new
    {
        form = "ninshin-todoke",
        data = new { due_date = "2027-05-01", weeks = 9, multiple = "no", clinic = "みどり産婦人科", interview = "yes" },
    });

    internal static HttpRequestMessage Submit(Uri app, string token, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app, "/api/v1/applications")) { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    /// <summary>Waits for the app on <paramref name="port"/>, signs the personas in, and warms it up with 15 s of submissions.</summary>
    private static async Task<(HttpClient Client, Func<int, HttpRequestMessage> Next)> WarmAsync(int port)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        await Processes.WaitReadyAsync(client, new Uri(baseUri, "/readyz"));
        var tokens = await TokensAsync(client, baseUri);
        HttpRequestMessage Next(int i) => Submit(baseUri, tokens[i % tokens.Length], Guid.NewGuid().ToString());
        await LoadGenerator.RunAsync(client, "warm-up", Next, 50, TimeSpan.FromSeconds(15));
        return (client, Next);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "sqlite";
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        double[] rates = args.Length > 2 ? [.. args[2].Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture))] : [50, 75, 100, 125, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 700];
        const double P99CeilingMs = 500;

        await using var target = await TargetAsync(provider);
        var port = Processes.FreePort();
        using var app = StartApp(target, port);
        try
        {
            var (client, next) = await WarmAsync(port);
            using var _ = client;

            Console.WriteLine($"Submissions on {provider}: open loop, {seconds:0.#} s per step; sustained = no errors, >= 95% of the rate, p99 <= {P99CeilingMs} ms.");
            Console.WriteLine($"{"target/s",9} {"achieved/s",11} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"errors",7} {"CPU ms/submission",18} {"load generator ms",18}");
            var best = 0.0;
            LoadGenerator.Result? atBest = null;
            var cpuAtBest = 0.0;
            var loadAtBest = 0.0;
            foreach (var rate in rates)
            {
                var (result, cpuEach, loadEach) = await Processes.MeasuredStepAsync(app, client, "submit", next, rate, TimeSpan.FromSeconds(seconds), provider == "postgres");
                Console.WriteLine($"{rate,9:0} {result.AchievedRate,11:0} {result.P50,8:0.0} {result.P95,8:0.0} {result.P99,8:0.0} {result.Errors,7} {cpuEach,18:0.00} {loadEach,18:0.00}");
                if (!result.Sustained(P99CeilingMs)) break;
                best = rate;
                atBest = result;
                cpuAtBest = cpuEach;
                loadAtBest = loadEach;
            }
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();

            var floor = await BareSubmissionRateAsync(target, client, TimeSpan.FromSeconds(seconds), P99CeilingMs);
            var ceiling = await RawInsertRateAsync(target, TimeSpan.FromSeconds(seconds), appRows: true);
            var minimal = await RawInsertRateAsync(target, TimeSpan.FromSeconds(seconds), appRows: false);
            Console.WriteLine();
            Console.WriteLine($"Raw insert ceiling (a submission's own rows in the app's tables and indexes, one transaction each, one connection): {ceiling:0}/s");
            Console.WriteLine($"Five minimal rows without the app's columns and indexes (the ceiling before 2026-12-08): {minimal:0}/s");
            Console.WriteLine($"The same rows behind a bare HTTP endpoint (no token, validation, EF Core, audit chain or mail): {floor:0}/s, ratio to the ceiling {(ceiling == 0 ? 0 : floor / ceiling):0.00}");
            Console.WriteLine($"Highest sustained submission rate: {best:0}/s, ratio to the ceiling {(ceiling == 0 ? 0 : best / ceiling):0.00} (target >= 0.5, and >= 100/s)");
            if (atBest is not null)
            {
                Console.WriteLine($"p99 at {best:0}/s: {atBest.P99:0.0} ms, ratio to the 500 ms ceiling {atBest.P99 / P99CeilingMs:0.00}");
                Console.WriteLine($"CPU per submission at {best:0}/s (app and database): {cpuAtBest:0.00} ms, ratio to the 10 ms budget {cpuAtBest / 10:0.00}");
                // What the machine could carry if nothing else ran: its cores divided by the CPU one submission takes, app and load generator together.
                var bound = System.Environment.ProcessorCount * 1000 / (cpuAtBest + loadAtBest);
                Console.WriteLine($"With the load generator's {loadAtBest:0.00} ms, the {System.Environment.ProcessorCount} cores carry at most {bound:0}/s; ratio of that bound to the ceiling {(ceiling == 0 ? 0 : bound / ceiling):0.00}");
            }
            return 0;
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// A rush past what the node can carry: a baseline at a rate it carries, then several times that rate, then the
    /// baseline again. The node should turn the excess away at once (503 with Retry-After) and keep the submissions it
    /// lets in near their usual speed, with no other error, and be back to its baseline as soon as the rush ends.
    /// </summary>
    public static async Task<int> OverloadAsync(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "sqlite";
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var baseline = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        var rush = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 1000;

        await using var target = await TargetAsync(provider);
        var port = Processes.FreePort();
        using var app = StartApp(target, port);
        try
        {
            var (client, next) = await WarmAsync(port);
            using var _ = client;

            Console.WriteLine($"Overload on {provider}: {seconds:0.#} s at {baseline:0}/s, {seconds:0.#} s at {rush:0}/s, {seconds:0.#} s at {baseline:0}/s again.");
            Console.WriteLine($"{"phase",-9} {"offered/s",10} {"taken/s",8} {"turned away",12} {"other errors",13} {"taken p50 ms",13} {"taken p99 ms",13}");
            var phases = new List<(string Name, LoadGenerator.Result Result)>();
            foreach (var (name, rate) in new[] { ("before", baseline), ("rush", rush), ("after", baseline) })
            {
                var result = await LoadGenerator.RunAsync(client, name, next, rate, TimeSpan.FromSeconds(seconds));
                phases.Add((name, result));
                var taken = result.Samples.Where(s => s.Status == 201).Select(s => s.Latency).Order().ToArray();
                var away = result.Samples.Count(s => s.Status == 503);
                Console.WriteLine($"{name,-9} {rate,10:0} {taken.Length / seconds,8:0} {away,12} {result.Samples.Count - taken.Length - away,13} " +
                    $"{LoadGenerator.Percentile(taken, 0.5),13:0.0} {LoadGenerator.Percentile(taken, 0.99),13:0.0}");
            }
            double TakenP99(int phase) => LoadGenerator.Percentile([.. phases[phase].Result.Samples.Where(s => s.Status == 201).Select(s => s.Latency).Order()], 0.99);
            var others = phases.Sum(p => p.Result.Samples.Count(s => s.Status is not (201 or 503)));
            Console.WriteLine();
            Console.WriteLine($"Taken p99 in the rush against before it: {TakenP99(1) / TakenP99(0):0.00} (target <= 2); after against before: {TakenP99(2) / TakenP99(0):0.00}; " +
                $"errors other than 503: {others} (must be 0)");
            return others == 0 ? 0 : 1;
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// The floor under any submission endpoint on this machine: the raw-insert rows written by a bare Kestrel endpoint
    /// in a process of its own, driven by the same load generator as the app, with nothing else on the path. SQLite
    /// writes through one connection, one request at a time; PostgreSQL through a pool, so concurrent commits share
    /// their WAL flushes. What the app sustains is bounded by this, and the difference is the cost of its own work.
    /// </summary>
    private static async Task<double> BareSubmissionRateAsync(Target target, HttpClient client, TimeSpan duration, double p99CeilingMs)
    {
        var port = Processes.FreePort();
        using var server = Processes.Start(Path.Combine(AppContext.BaseDirectory, "Madoguchi.Bench.dll"),
            ["--bare-submit-server", port.ToString(CultureInfo.InvariantCulture), target.Provider], AppContext.BaseDirectory,
            new() { ["MADOGUCHI_BENCH_CONNECTION"] = target.ConnectionString });
        try
        {
            var baseUri = new Uri($"http://127.0.0.1:{port}");
            await Processes.WaitReadyAsync(client, baseUri);
            HttpRequestMessage Next(int i) => Submit(baseUri, "none", Guid.NewGuid().ToString());
            await LoadGenerator.RunAsync(client, "warm-up", Next, 200, TimeSpan.FromSeconds(5));
            Console.WriteLine("The same rows behind a bare endpoint:");
            var best = 0.0;
            foreach (var rate in new double[] { 250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2500, 3000 })
            {
                var (result, cpuEach, loadEach) = await Processes.MeasuredStepAsync(server, client, "bare", Next, rate, duration, target.Provider == "postgres");
                Console.WriteLine($"{rate,9:0} {result.AchievedRate,11:0} {result.P50,8:0.0} {result.P95,8:0.0} {result.P99,8:0.0} {result.Errors,7} {cpuEach,18:0.00} {loadEach,18:0.00}");
                if (!result.Sustained(p99CeilingMs)) break;
                best = rate;
            }
            return best;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>The bare endpoint of <see cref="BareSubmissionRateAsync"/>, run as a child process: the app's own rows (<see cref="AppRows"/>).</summary>
    internal static async Task RunBareSubmitServerAsync(int port, string provider)
    {
        var connectionString = System.Environment.GetEnvironmentVariable("MADOGUCHI_BENCH_CONNECTION")!;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var server = builder.Build();
        // Audit sequence numbers of their own, clear of the app's and the raw-insert ceiling's.
        var sequence = 1_000_000_000L;
        server.MapGet("/", () => "ok");
        if (provider == "sqlite")
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            await using var writer = await (await AppRows.ReadAsync(connection)).WriterAsync(connection);
            using var gate = new SemaphoreSlim(1);
            server.MapPost("/api/v1/applications", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                await reader.ReadToEndAsync();
                await gate.WaitAsync();
                try
                {
                    await using var transaction = await connection.BeginTransactionAsync();
                    await writer.WriteAsync(transaction, ++sequence);
                    await transaction.CommitAsync();
                    return Results.Json(new { reference = $"R{sequence}" }, statusCode: 201);
                }
                finally
                {
                    gate.Release();
                }
            });
            await server.RunAsync();
            return;
        }
        // Statements prepared once per pooled connection, as the app has them (ADR 0010).
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ConnectionString);
        AppRows rows;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            rows = await AppRows.ReadAsync(first);
        }
        server.MapPost("/api/v1/applications", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            await reader.ReadToEndAsync();
            var n = Interlocked.Increment(ref sequence);
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var writer = await rows.WriterAsync(connection, prepare: false);
            await writer.WriteAsync(transaction, n);
            await transaction.CommitAsync();
            return Results.Json(new { reference = $"R{n}" }, statusCode: 201);
        });
        await server.RunAsync();
    }

    private static string RawTables(string sequenceType) =>
        $"CREATE TABLE IF NOT EXISTS raw_app (id TEXT PRIMARY KEY, reference TEXT, data TEXT, status TEXT, created TEXT); CREATE TABLE IF NOT EXISTS raw_event (id TEXT PRIMARY KEY, app TEXT, status TEXT, at TEXT); CREATE TABLE IF NOT EXISTS raw_audit (seq {sequenceType} PRIMARY KEY, hash TEXT, detail TEXT); CREATE TABLE IF NOT EXISTS raw_outbox (id TEXT PRIMARY KEY, payload TEXT);";

    /// <summary>
    /// What the database itself can commit, one transaction per application from one connection, with the app's
    /// durability (synchronous=FULL on SQLite, which the app's group commit matches; synchronous_commit on PostgreSQL).
    /// With <paramref name="appRows"/> the rows are a submission's own, in the app's tables with their indexes
    /// (<see cref="AppRows"/>), through prepared statements: the ceiling. Without, five minimal rows in tables of their
    /// own with no index but the key, as the ceiling was measured before 2026-12-08, printed beside it to compare runs.
    /// </summary>
    private static async Task<double> RawInsertRateAsync(Target target, TimeSpan duration, bool appRows)
    {
        await using DbConnection connection = target.Provider == "sqlite" ? new SqliteConnection(target.ConnectionString) : new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        if (connection is SqliteConnection sqlite)
        {
            await Exec(sqlite, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; " + (appRows ? "" : RawTables("INTEGER")));
        }
        else if (!appRows)
        {
            await using var create = new NpgsqlCommand(RawTables("BIGINT"), (NpgsqlConnection)connection);
            await create.ExecuteNonQueryAsync();
        }
        await using var writer = appRows ? await (await AppRows.ReadAsync(connection)).WriterAsync(connection) : null;
        // Audit sequence numbers clear of the app's and the bare endpoint's.
        var sequence = 2_000_000_000L;
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.Elapsed < duration)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            if (writer is not null)
            {
                await writer.WriteAsync(transaction, ++sequence);
            }
            else
            {
                await using var command = connection.CreateCommand();
                command.CommandText = RawSql(++sequence);
                command.Transaction = transaction;
                await command.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
            count++;
        }
        return count / clock.Elapsed.TotalSeconds;
    }

    private static string RawSql(long n)
    {
        var id = Guid.NewGuid().ToString();
        var data = Body.Replace("'", "''", StringComparison.Ordinal);
        return $"""
            INSERT INTO raw_app VALUES ('{id}', 'R{n}', '{data}', 'received', '{DateTime.UtcNow:O}');
            INSERT INTO raw_event VALUES ('{Guid.NewGuid()}', '{id}', 'draft', '{DateTime.UtcNow:O}');
            INSERT INTO raw_event VALUES ('{Guid.NewGuid()}', '{id}', 'received', '{DateTime.UtcNow:O}');
            INSERT INTO raw_audit VALUES ({n + 1}, '{Guid.NewGuid():N}', '{data}');
            INSERT INTO raw_outbox VALUES ('{Guid.NewGuid()}', '{data}');
            """;
    }

    private static async Task Exec(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// kill -9 the app (or, with <c>database</c>, the PostgreSQL postmaster) <paramref name="kills"/> times while
    /// clients keep submitting; a request that fails or times out is retried with the same Idempotency-Key until
    /// acknowledged. Then every acknowledged application must be in the database exactly once and whole: received,
    /// with its timeline, its audit entry and its confirmation mail queued. Every error answer is read for internals.
    /// With <c>stored=N</c>, N applications are stored first and the start on them is timed. With <c>powerloss</c>
    /// (SQLite), the database lives on lossyfs and every kill is a power cut too: what was not synced is lost. With
    /// <c>powerloss lie</c>, the disk acknowledges syncs it never made: the negative control, which must find losses.
    /// At the end <c>verify-audit</c> checks the file and the audit chain.
    /// </summary>
    public static async Task<int> CrashAsync(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "sqlite";
        var kills = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var database = args.Skip(2).Contains("database");
        var preload = args.Skip(2).Where(a => a.StartsWith("stored=", StringComparison.Ordinal)).Select(a => int.Parse(a["stored=".Length..], CultureInfo.InvariantCulture)).FirstOrDefault();
        var (powerLoss, lie) = (args.Skip(2).Contains("powerloss"), args.Skip(2).Contains("lie"));
        var restartCommand = System.Environment.GetEnvironmentVariable(PostgresStartVariable);
        if (database && (provider != "postgres" || string.IsNullOrEmpty(restartCommand)))
        {
            Console.Error.WriteLine($"crash postgres N database: kills the PostgreSQL server; set {PostgresStartVariable} to the command that starts it again (e.g. \"pg_ctlcluster 15 main start\").");
            return 2;
        }
        if ((powerLoss || lie) && (provider != "sqlite" || !powerLoss))
        {
            Console.Error.WriteLine("crash sqlite N powerloss [lie]: the SQLite file on lossyfs, a power cut with every kill.");
            return 2;
        }
        await using var disk = powerLoss ? await LossyDisk.MountAsync(lie) : null;
        await using var target = await TargetAsync(provider, disk?.Directory);
        var port = Processes.FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(3) };
        var app = StartApp(target, port);
        await Processes.WaitReadyAsync(client, new Uri(baseUri, "/readyz"));
        var tokens = await TokensAsync(client, baseUri);
        if (preload > 0)
        {
            // A city's worth of applications first (the reference's P9: 10^6), made from one submitted through the API.
            using var response = await client.SendAsync(Submit(baseUri, tokens[0], "template"));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var templateId = json.RootElement.GetProperty("id").GetGuid();
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            app.Dispose();
            await Preload.StoreAsync(target, templateId, preload);
            var cold = Stopwatch.StartNew();
            app = StartApp(target, port);
            await Processes.WaitReadyAsync(client, new Uri(baseUri, "/readyz"));
            Console.WriteLine($"Start with {preload:N0} applications stored: ready after {cold.Elapsed.TotalSeconds:0.0} s (ratio to the 10 s ceiling {cold.Elapsed.TotalSeconds / 10:0.00})");
        }

        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var refusals = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var leaks = 0;
        var attempts = 0;
        var clock = Stopwatch.StartNew();
        long lastAck = 0;
        using var stop = new CancellationTokenSource();
        async Task ClientAsync(int worker)
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var key = $"crash-{worker}-{n++}";
                var token = tokens[worker % tokens.Length];
                while (true)
                {
                    Interlocked.Increment(ref attempts);
                    try
                    {
                        using var response = await client.SendAsync(Submit(baseUri, token, key));
                        var body = await response.Content.ReadAsStringAsync();
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            using var json = JsonDocument.Parse(body);
                            acknowledged[key] = json.RootElement.GetProperty("id").GetString()!;
                            Interlocked.Exchange(ref lastAck, clock.ElapsedMilliseconds);
                            break;
                        }
                        refusals.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                        if (Internals.Any(i => body.Contains(i, StringComparison.Ordinal))) Interlocked.Increment(ref leaks);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                    }
                    await Task.Delay(100);
                }
                await Task.Delay(20);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() => ClientAsync(w))).ToList();
        var started = Stopwatch.StartNew();
        var recoveries = new List<double>();
        for (var i = 0; i < kills; i++)
        {
            // On lossyfs each run lasts past its 3 s write-back, so that even a lying disk keeps something.
            await Task.Delay(powerLoss ? Random.Shared.Next(3500, 6000) : Random.Shared.Next(800, 2000));
            if (database)
            {
                var killedAt = clock.ElapsedMilliseconds;
                await KillPostgresAsync(target, restartCommand!);
                var upAt = clock.ElapsedMilliseconds;
                while (Interlocked.Read(ref lastAck) < upAt && clock.ElapsedMilliseconds - upAt < 60_000) await Task.Delay(20);
                recoveries.Add((Interlocked.Read(ref lastAck) - upAt) / 1000.0);
                Console.WriteLine($"postmaster kill -9 #{i + 1}: down {(upAt - killedAt) / 1000.0:0.0} s, first acknowledgement {recoveries[^1]:0.00} s after it was back; {acknowledged.Count} acknowledged so far");
                continue;
            }
            var killed = clock.ElapsedMilliseconds;
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            app.Dispose();
            if (disk is not null) await disk.CutPowerAsync();
            app = StartApp(target, port);
            await Processes.WaitReadyAsync(client, new Uri(baseUri, "/readyz"));
            var ready = clock.ElapsedMilliseconds;
            while (Interlocked.Read(ref lastAck) < ready && clock.ElapsedMilliseconds - ready < 60_000) await Task.Delay(20);
            recoveries.Add((Interlocked.Read(ref lastAck) - killed) / 1000.0);
            Console.WriteLine($"kill -9 {(disk is null ? "" : "and power cut ")}#{i + 1}: ready {(ready - killed) / 1000.0:0.0} s after the kill, first acknowledgement after {recoveries[^1]:0.0} s; {acknowledged.Count} acknowledged so far");
        }
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        app.Kill(entireProcessTree: true);
        await app.WaitForExitAsync();
        app.Dispose();
        if (disk is not null) await disk.CutPowerAsync();

        var (lost, duplicated, halfWritten, stored) = await AuditAsync(target, acknowledged);
        SqliteConnection.ClearAllPools();
        Console.WriteLine();
        var victim = database ? "PostgreSQL postmaster" : disk is null ? "app" : lie ? "app, each with a power cut, on a disk that lies about syncs," : "app, each with a power cut,";
        Console.WriteLine($"Crash drill on {provider}: {kills} kill -9 of the {victim} in {started.Elapsed.TotalSeconds:0} s, {attempts} requests sent, {acknowledged.Count} submissions acknowledged, {stored} stored.");
        Console.WriteLine($"Refused answers by status: {(refusals.IsEmpty ? "none" : string.Join(", ", refusals.OrderBy(r => r.Key).Select(r => $"{r.Key} × {r.Value}")))}; answers naming internals: {leaks}");
        if (recoveries.Count > 0)
        {
            // The reference's ceilings: 10 s for the app to reconnect to a database that is back, 30 s from a crash of the app to its first submission.
            var (what, ceiling) = database ? ("after the database was back", 10.0) : ("after each kill -9 of the app", 30.0);
            Console.WriteLine($"First acknowledgement {what}: median {recoveries.Order().ElementAt(recoveries.Count / 2):0.00} s, longest {recoveries.Max():0.00} s (ratio to the {ceiling:0} s ceiling {recoveries.Max() / ceiling:0.00})");
        }
        // The file and the audit chain after the drill; with stored=N over a million entries and more (the reference's S13: within 60 s).
        var verify = Stopwatch.StartNew();
        using (var verifier = Processes.Start(Path.Combine(AppContext.BaseDirectory, "Madoguchi.Web.dll"), ["verify-audit"], Path.Combine(Processes.FindRepo(), "src", "Madoguchi.Web"), target.Environment))
        {
            await verifier.WaitForExitAsync();
            Console.WriteLine($"verify-audit over {stored + preload:N0} applications' entries: exit {verifier.ExitCode} after {verify.Elapsed.TotalSeconds:0.0} s (ratio to the 60 s ceiling {verify.Elapsed.TotalSeconds / 60:0.00})");
            Console.WriteLine($"lost {lost}, duplicated {duplicated}, half-written {halfWritten}, internals shown {leaks}, verify-audit exit {verifier.ExitCode} ({(lie ? "the negative control: lost must be more than 0, or the zeros of the honest runs mean nothing" : "all must be 0")})");
            return lie ? (lost > 0 ? 0 : 1) : lost + duplicated + halfWritten + leaks + verifier.ExitCode == 0 ? 0 : 1;
        }
    }

    /// <summary>
    /// Every submission sent three times at once with the same key, as a double click or a retry racing its original
    /// does: one application per key; every 201 for a key the same bytes; a 409 (still being made) or 503 (turned away)
    /// sent again until it gets those bytes too.
    /// </summary>
    public static async Task<int> DuplicatesAsync(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "sqlite";
        var keys = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        await using var target = await TargetAsync(provider);
        var port = Processes.FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var app = StartApp(target, port);
        await Processes.WaitReadyAsync(client, new Uri(baseUri, "/readyz"));
        var tokens = await TokensAsync(client, baseUri);

        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var differing = 0;
        async Task<(HttpStatusCode Status, string Body)> SendAsync(string token, string key)
        {
            using var response = await client.SendAsync(Submit(baseUri, token, key));
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        using var gate = new SemaphoreSlim(16);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, keys).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var (token, key) = (tokens[i % tokens.Length], $"dup-{i}");
                var answers = (await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SendAsync(token, key)))).ToList();
                // 409: the same key is still being made; 503: turned away past the in-flight limit. Both say: send again.
                static bool Again((HttpStatusCode Status, string) a) => a.Status is HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable;
                for (var retry = answers.FindIndex(Again); retry >= 0; retry = answers.FindIndex(Again))
                {
                    await Task.Delay(100);
                    answers[retry] = await SendAsync(token, key);
                }
                if (answers.Any(a => a.Status != HttpStatusCode.Created || a.Body != answers[0].Body)) Interlocked.Increment(ref differing);
            }
            finally
            {
                gate.Release();
            }
        }));
        var elapsed = clock.Elapsed;
        app.Kill(entireProcessTree: true);
        await app.WaitForExitAsync();

        const string Count = "SELECT COUNT(*), COUNT(DISTINCT \"RequestKey\") FROM applications WHERE \"RequestKey\" LIKE 'api:dup-%'";
        System.Data.Common.DbConnection connection = provider == "sqlite" ? new SqliteConnection(target.ConnectionString) : new NpgsqlConnection(target.ConnectionString);
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = Count;
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (stored, distinct) = (reader.GetInt64(0), reader.GetInt64(1));
            Console.WriteLine($"Duplicates on {provider}: {keys:N0} keys, each sent 3 times at once, in {elapsed.TotalSeconds:0} s.");
            Console.WriteLine($"Answers by status: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value:N0}"))}");
            Console.WriteLine($"applications stored {stored:N0} for {distinct:N0} keys (both must be {keys:N0}); keys whose answers were not all the same 201 {differing} (must be 0)");
            return stored == keys && distinct == keys && differing == 0 ? 0 : 1;
        }
    }

    private const string PostgresStartVariable = "MADOGUCHI_BENCH_PG_START";

    /// <summary>What an error answer must never show: exception and driver names, stack frames.</summary>
    private static readonly string[] Internals = ["Exception", "Npgsql", "Sqlite", "   at ", "StackTrace"];

    /// <summary>kill -9 the postmaster (its pid from postmaster.pid), then start the server again until it accepts connections.</summary>
    private static async Task KillPostgresAsync(Target target, string startCommand)
    {
        string dataDirectory;
        await using (var connection = new NpgsqlConnection(target.ConnectionString))
        {
            await connection.OpenAsync();
            await using var show = new NpgsqlCommand("SHOW data_directory", connection);
            dataDirectory = (string)(await show.ExecuteScalarAsync())!;
        }
        NpgsqlConnection.ClearAllPools();
        var pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(dataDirectory, "postmaster.pid")))[0], CultureInfo.InvariantCulture);
        using (var postmaster = Process.GetProcessById(pid))
        {
            postmaster.Kill();
            await postmaster.WaitForExitAsync();
        }
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            // The orphaned backends notice their postmaster is gone and exit; until then the server refuses to start.
            var parts = startCommand.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            using var start = Process.Start(new ProcessStartInfo(parts[0], parts[1..]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await start.WaitForExitAsync();
            try
            {
                await using var probe = new NpgsqlConnection(target.ConnectionString);
                await probe.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task<(int Lost, int Duplicated, int HalfWritten, int Stored)> AuditAsync(Target target, IDictionary<string, string> acknowledged)
    {
        const string Query = """
            SELECT a."RequestKey", a."Id", a."Status", a."Reference",
              (SELECT COUNT(*) FROM application_events e WHERE e."ApplicationId" = a."Id" AND e."Status" = 'received'),
              (SELECT COUNT(*) FROM audit_entries x WHERE x."Subject" = 'application:' || lower(ID) AND x."Action" = 'application.received')
            FROM applications a WHERE a."RequestKey" LIKE 'api:crash-%'
            """;
        // The mails in one pass (not a scan per application): all but those of preloaded applications (stored=N).
        const string Mails = """SELECT o."Payload" FROM outbox_messages o WHERE o."Payload" NOT LIKE '%preload@example.jp%'""";
        var rows = new List<(string Key, string Id, string Status, string Reference, long Events, long Audits)>();
        var mails = new List<string>();
        if (target.Provider == "sqlite")
        {
            await using var connection = new SqliteConnection(target.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = Query.Replace("ID", "a.\"Id\"", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5)));
            }
            command.CommandText = Mails.Replace("\"", "", StringComparison.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) mails.Add(reader.GetString(0));
            }
        }
        else
        {
            await using var connection = new NpgsqlConnection(target.ConnectionString);
            await connection.OpenAsync();
            await using (var command = new NpgsqlCommand(Query.Replace("ID", "a.\"Id\"::text", StringComparison.Ordinal), connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetValue(1).ToString()!, reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5)));
            }
            await using (var command = new NpgsqlCommand(Mails, connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) mails.Add(reader.GetString(0));
            }
        }
        var byKey = rows.GroupBy(r => r.Key["api:".Length..]).ToDictionary(g => g.Key, g => g.ToList());
        var lost = acknowledged.Count(a => !byKey.TryGetValue(a.Key, out var found) || found.All(f => !string.Equals(f.Id, a.Value, StringComparison.OrdinalIgnoreCase)));
        var duplicated = byKey.Values.Count(g => g.Count > 1);
        var halfWritten = rows.Count(r => r.Status != "received" || r.Events != 1 || r.Audits != 1 || mails.Count(m => m.Contains(r.Reference, StringComparison.Ordinal)) != 1);
        return (lost, duplicated, halfWritten, rows.Count);
    }
}
