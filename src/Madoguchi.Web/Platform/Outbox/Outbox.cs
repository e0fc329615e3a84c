using System.Text.Json;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Madoguchi.Web.Platform.Outbox;

/// <summary>Handles one message type. Must be idempotent by message id: a message can be delivered more than once.</summary>
public interface IOutboxHandler
{
    string Type { get; }
    Task HandleAsync(Guid messageId, string payload, CancellationToken ct);

    /// <summary>Called after each batch the dispatcher delivered: a handler may keep a connection open for a batch and close it here.</summary>
    Task EndBatchAsync() => Task.CompletedTask;
}

public sealed class OutboxOptions
{
    public bool Enabled { get; set; } = true;
    public int BatchSize { get; set; } = 20;
    public int MaxAttempts { get; set; } = 8;
    public double PollSeconds { get; set; } = 2;
    /// <summary>How long the dispatcher lets new messages gather after it is woken, so a rush goes out in batches.</summary>
    public double GatherSeconds { get; set; } = 0.2;
    public double LeaseSeconds { get; set; } = 120;
    public double FirstRetrySeconds { get; set; } = 5;
}

/// <summary>Wakes the dispatcher on this node when something was enqueued; other nodes find it by polling.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        if (signal.CurrentCount == 0)
        {
            try { signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);

    public void Dispose() => signal.Dispose();
}

/// <summary>After a save that stored new outbox messages, wakes this node's dispatcher instead of waiting for its next poll.</summary>
internal sealed class OutboxWakeUp(OutboxSignal signal) : SaveChangesInterceptor
{
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Wake(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Wake(eventData.Context);
        return result;
    }

    // A message saved and still pending with no attempts was just enqueued. Inside a wider transaction the
    // dispatcher may wake before the commit and find nothing yet; its poll picks the message up then.
    private void Wake(DbContext? context)
    {
        if ((context as AppDb)?.Tracked<OutboxMessage>().Any(e => e.Entity is { Status: OutboxStatus.Pending, Attempts: 0 }) == true)
        {
            signal.Notify();
        }
    }
}

public static class OutboxExtensions
{
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection("Outbox"));
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<IInterceptor, OutboxWakeUp>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        return builder;
    }

    /// <summary>Adds a message to the unit of work; it is stored by the caller's SaveChanges, or not at all.</summary>
    public static OutboxMessage Enqueue(this AppDb db, TimeProvider clock, string type, object payload)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var message = new OutboxMessage { Type = type, Payload = JsonSerializer.Serialize(payload), CreatedAt = now, NextAttemptAt = now };
        db.OutboxMessages.Add(message);
        return message;
    }

    /// <summary>Puts a dead message back in the queue (administrators, after fixing the cause).</summary>
    public static Task<int> RetryDeadAsync(this AppDb db, Guid id, TimeProvider clock, CancellationToken ct) =>
        db.OutboxMessages.Where(m => m.Id == id && m.Status == OutboxStatus.Dead)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, OutboxStatus.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, clock.GetUtcNow().UtcDateTime)
                .SetProperty(m => m.LockedUntil, (DateTime?)null), ct);
}
