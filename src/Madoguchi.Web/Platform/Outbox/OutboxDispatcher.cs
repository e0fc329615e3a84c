using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Platform.Outbox;

/// <summary>
/// Delivers outbox messages with retries and exponential backoff. Work is claimed with a lease, so several
/// app nodes can run this at once; on PostgreSQL the claim skips rows another node holds (FOR UPDATE SKIP LOCKED).
/// A node that dies mid-delivery leaves a lease that expires; another node then delivers again, and the
/// handler's idempotency keeps the effect single.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IEnumerable<IOutboxHandler> handlers,
    IOptions<OutboxOptions> options,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly string node = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly Dictionary<string, IOutboxHandler> byType = handlers.ToDictionary(h => h.Type);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Platform.Data.StorageFaultException)
            {
                // Logged once when the fault was seen; no delivery can be recorded until the node is restarted.
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Outbox dispatch round failed");
            }
            if (handled < options.Value.BatchSize)
            {
                try
                {
                    // Caught up: wait for a new message or the poll, then a moment more, so that a rush of messages is
                    // claimed and stored as one batch instead of as many small writes competing with the requests.
                    await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
                    await Task.Delay(TimeSpan.FromSeconds(options.Value.GatherSeconds), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims and handles one batch; returns how many messages were attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now.AddSeconds(o.LeaseSeconds);
        var pending = nameof(OutboxStatus.Pending);
        var skipLocked = db.IsPostgres ? "FOR UPDATE SKIP LOCKED" : "";
        // Only a constant clause is interpolated; every value is a parameter. The claim is a write of its own: in a
        // transaction it queues at SQLite's write gate like every other write.
        List<Guid> claimed;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
#pragma warning disable EF1002
            claimed = await db.Database.SqlQueryRaw<Guid>(
            $$"""
            UPDATE outbox_messages SET "LockedUntil" = {0}, "LockedBy" = {1}
            WHERE "Id" IN (
                SELECT "Id" FROM outbox_messages
                WHERE "Status" = {2} AND "NextAttemptAt" <= {3} AND ("LockedUntil" IS NULL OR "LockedUntil" < {3})
                ORDER BY "NextAttemptAt" LIMIT {4} {{skipLocked}})
            RETURNING "Id"
            """, until, node, pending, now, o.BatchSize).ToListAsync(ct);
#pragma warning restore EF1002
            await transaction.CommitAsync(ct);
        }

        if (claimed.Count == 0)
        {
            return 0;
        }
        // The outcomes of the whole batch are stored in one write. A crash before it leaves the leases to expire and the
        // batch to be delivered again, which the handlers' idempotency absorbs (a mail keeps its Message-Id).
        try
        {
            foreach (var message in await db.OutboxMessages.Where(m => claimed.Contains(m.Id)).OrderBy(m => m.NextAttemptAt).ToListAsync(ct))
            {
                await DeliverAsync(message, ct);
            }
        }
        finally
        {
            foreach (var handler in byType.Values)
            {
                await handler.EndBatchAsync();
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);
        return claimed.Count;
    }

    private async Task DeliverAsync(OutboxMessage message, CancellationToken ct)
    {
        var o = options.Value;
        try
        {
            if (!byType.TryGetValue(message.Type, out var handler))
            {
                throw new InvalidOperationException($"No handler for outbox message type '{message.Type}'.");
            }
            await handler.HandleAsync(message.Id, message.Payload, ct);
            message.Status = OutboxStatus.Done;
            message.ProcessedAt = clock.GetUtcNow().UtcDateTime;
            message.LastError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            message.Attempts++;
            message.LastError = $"{ex.GetType().Name}: {ex.Message}"[..Math.Min(2000, ex.GetType().Name.Length + ex.Message.Length + 2)];
            if (message.Attempts >= o.MaxAttempts)
            {
                message.Status = OutboxStatus.Dead;
                logger.LogWarning("Outbox message {Id} ({Type}) is dead after {Attempts} attempts", message.Id, message.Type, message.Attempts);
            }
            else
            {
                var backoff = o.FirstRetrySeconds * Math.Pow(2, message.Attempts - 1) * (0.8 + Random.Shared.NextDouble() * 0.4);
                message.NextAttemptAt = clock.GetUtcNow().UtcDateTime.AddSeconds(Math.Min(backoff, 3600));
                logger.LogInformation("Outbox message {Id} ({Type}) failed attempt {Attempts}; retrying", message.Id, message.Type, message.Attempts);
            }
        }
        message.LockedUntil = null;
        message.LockedBy = null;
    }
}
