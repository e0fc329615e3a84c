using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Madoguchi.Web.Platform.Data;

/// <summary>
/// SQLite lets one transaction write at a time. Left to SQLite, a writer that finds the lock taken sleeps in its busy
/// handler (1, 2, 5 … 100 ms), blocking a thread-pool thread and leaving the lock idle between its naps; under a rush
/// the waiting threads starve the pool and the queue collapses. Here the app's own transactions queue for the lock
/// without blocking a thread and take it the moment it is free (ADR 0010).
/// <para>
/// Commits are made durable by <see cref="SqliteGroupCommit"/> after the gate is given back, so the next writer does
/// not wait for this one's fsync; the committing caller does. Writes outside a transaction (ExecuteUpdate,
/// ExecuteDelete, raw SQL) are made durable the same way once they have run.
/// </para>
/// <para>
/// The gate is taken when a transaction begins (EF's and explicit ones; every SaveChanges on SQLite runs in one, see
/// <see cref="SqliteAppDb"/>) and given back when it commits, rolls back or fails, or at the latest when its connection
/// closes. A connection that holds it does not wait again. After <see cref="Patience"/> a writer goes ahead without
/// it and SQLite's own busy handling applies, as before, so a forgotten gate can slow the app but never stop it.
/// </para>
/// </summary>
public sealed class SqliteWriteGate(SqliteGroupCommit commits) : IDbTransactionInterceptor, IDbConnectionInterceptor, IDbCommandInterceptor, IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ConcurrentDictionary<Guid, byte> holders = new();

    /// <summary>Whether the connection (EF's ConnectionId) holds the gate.</summary>
    public bool IsHeldBy(Guid connectionId) => holders.ContainsKey(connectionId);

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (!holders.ContainsKey(eventData.ConnectionId) && gate.Wait(Patience))
        {
            holders[eventData.ConnectionId] = 0;
        }
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (!holders.ContainsKey(eventData.ConnectionId) && await gate.WaitAsync(Patience, cancellationToken))
        {
            holders[eventData.ConnectionId] = 0;
        }
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        Release(eventData.ConnectionId);
        commits.Flush();
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.ConnectionId);
        return commits.FlushAsync();
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        if (command.Transaction is null)
        {
            commits.Flush();
        }
        return result;
    }

    public async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (command.Transaction is null)
        {
            await commits.FlushAsync();
        }
        return result;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.ConnectionId);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Released(eventData.ConnectionId);

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(eventData.ConnectionId);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) => Released(eventData.ConnectionId);

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.ConnectionId);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    public void Dispose() => gate.Dispose();

    private Task Released(Guid connectionId)
    {
        Release(connectionId);
        return Task.CompletedTask;
    }

    private void Release(Guid connectionId)
    {
        if (holders.TryRemove(connectionId, out _))
        {
            gate.Release();
        }
    }
}
