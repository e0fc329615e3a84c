using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Madoguchi.Web.Features.Counters;

/// <summary>
/// "This office's queue changed", within a node. Each change raises the office's generation and wakes everyone
/// waiting on it; the board snapshot is computed once per generation and the same bytes go to every screen.
/// </summary>
public sealed class QueueEvents(IServiceScopeFactory scopes)
{
    public const string Channel = "madoguchi_queue";

    /// <summary>Japanese as text: the board goes to a thousand screens, so its size matters.</summary>
    private static readonly JsonSerializerOptions BoardJson = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiters = new();
    private readonly ConcurrentDictionary<string, long> generations = new();
    private readonly ConcurrentDictionary<string, (long Generation, Board Board, string Json)> boards = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new();

    public void Changed(string officeId)
    {
        generations.AddOrUpdate(officeId, 1, (_, g) => g + 1);
        if (waiters.TryRemove(officeId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Completes at the next change of the office. Take it before reading the board, so no change falls in between.</summary>
    public Task NextChangeAsync(string officeId) =>
        waiters.GetOrAdd(officeId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The office's board as of its current generation, computed by one caller while the others wait for it.</summary>
    public async Task<(Board Board, string Json)> BoardAsync(string officeId, CancellationToken ct)
    {
        var generation = generations.GetOrAdd(officeId, 0);
        if (boards.TryGetValue(officeId, out var cached) && cached.Generation == generation)
        {
            return (cached.Board, cached.Json);
        }
        var gate = gates.GetOrAdd(officeId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            generation = generations.GetOrAdd(officeId, 0);
            if (boards.TryGetValue(officeId, out cached) && cached.Generation == generation)
            {
                return (cached.Board, cached.Json);
            }
            await using var scope = scopes.CreateAsyncScope();
            var board = await scope.ServiceProvider.GetRequiredService<Queue>().BoardAsync(officeId, ct);
            var json = JsonSerializer.Serialize(board, BoardJson);
            boards[officeId] = (generation, board, json);
            return (board, json);
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>
/// Brings changes made on other nodes: on PostgreSQL it listens to the notifications each change sends on commit;
/// on every database it also compares all offices' versions every few seconds, which repairs anything missed
/// while a connection was down.
/// </summary>
public sealed class QueueWatcher(QueueEvents events, IServiceScopeFactory scopes, IOptions<CountersOptions> options, ILogger<QueueWatcher> log) : BackgroundService
{
    private readonly Dictionary<string, long> seen = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? connectionString = null;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            if (db.IsPostgres)
            {
                connectionString = db.Database.GetConnectionString();
            }
        }
        var listening = connectionString is null ? Task.CompletedTask : ListenAsync(connectionString, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.2, options.Value.BoardPollSeconds)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var versions = await scope.ServiceProvider.GetRequiredService<AppDb>().OfficeQueues.AsNoTracking().ToListAsync(stoppingToken);
                foreach (var queue in versions)
                {
                    if (!seen.TryGetValue(queue.OfficeId, out var version) || version != queue.Version)
                    {
                        events.Changed(queue.OfficeId);
                    }
                    seen[queue.OfficeId] = queue.Version;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Queue version check failed");
            }
        }
        await listening;
    }

    private async Task ListenAsync(string connectionString, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => events.Changed(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {QueueEvents.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Queue notifications lost; reconnecting");
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
