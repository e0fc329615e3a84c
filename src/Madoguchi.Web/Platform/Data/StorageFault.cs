using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Madoguchi.Web.Platform.Data;

/// <summary>
/// When the embedded SQLite database reports that the disk failed it (an I/O error, a corrupt page, a file that is no
/// longer a database), this node stops writing until it is restarted. After a failed fsync the operating system may
/// have dropped the unwritten pages and marked them clean, so a retry that "succeeds" can acknowledge what is already
/// lost (PostgreSQL's fsyncgate, 2018). Reads go on; every write is refused before it starts, answered 503 like any
/// outage, and never acknowledged; <c>/readyz</c> fails so a balancer drains the node; the fault is logged once as
/// critical. A restart opens the file afresh and SQLite recovers its WAL (README, Operations; ADR 0011).
/// <para>
/// PostgreSQL owns its own files: on a failed fsync the server stops and recovers from its WAL, which the app sees
/// as an outage it rides out (<see cref="DatabaseOutage"/>), so only SQLite's errors trip this.
/// </para>
/// </summary>
public sealed class StorageFault(ILogger<StorageFault> log, TimeProvider clock) : IDbTransactionInterceptor, IDbCommandInterceptor
{
    private sealed record Fault(DateTimeOffset Since, string Reason);

    private Fault? fault;

    /// <summary>When the fault was seen; null while the store is healthy.</summary>
    public DateTimeOffset? Since => fault?.Since;

    /// <summary>What the database reported, for the health check (error codes, never data).</summary>
    public string? Reason => fault?.Reason;

    /// <summary>SQLITE_IOERR (with any extended code: fsync, write, read, truncate…), SQLITE_CORRUPT, SQLITE_NOTADB.</summary>
    public static bool IsFatal(Exception exception) => FatalIn(exception) is not null;

    private static SqliteException? FatalIn(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: 10 or 11 or 26 } sqlite)
            {
                return sqlite;
            }
        }
        return null;
    }

    private void Observe(Exception exception)
    {
        if (FatalIn(exception) is not { } sqlite)
        {
            return;
        }
        Trip($"SQLite error {sqlite.SqliteErrorCode} (extended {sqlite.SqliteExtendedErrorCode})");
    }

    /// <summary>Stops this node's writes: for faults seen outside SQLite, such as the group commit's own fsync.</summary>
    public void Trip(string what)
    {
        if (Interlocked.CompareExchange(ref fault, new Fault(clock.GetUtcNow(), what), null) is null)
        {
            log.LogCritical("Storage fault: {Reason}. This node refuses every write until it is restarted; check the disk, run verify-audit, then restart.", what);
        }
    }

    private void RefuseWhileFaulted()
    {
        if (fault is not null)
        {
            throw new StorageFaultException();
        }
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        RefuseWhileFaulted();
        return result;
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        RefuseWhileFaulted();
        return ValueTask.FromResult(result);
    }

    // Writes outside a transaction (ExecuteUpdate, ExecuteDelete, raw SQL) run as non-queries.
    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        RefuseWhileFaulted();
        return result;
    }

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        RefuseWhileFaulted();
        return ValueTask.FromResult(result);
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Observe(eventData.Exception);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Observe(eventData.Exception);
        return Task.CompletedTask;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Observe(eventData.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Observe(eventData.Exception);
        return Task.CompletedTask;
    }
}

/// <summary>A write refused because this node has seen a storage fault (<see cref="StorageFault"/>); nothing was stored.</summary>
public sealed class StorageFaultException() : InvalidOperationException("Writes are refused after a storage fault until the node is restarted.");
