namespace Madoguchi.Web.Platform.Data;

/// <summary>
/// Group commit for SQLite (ADR 0010). SQLite's own <c>synchronous=FULL</c> syncs the WAL inside every commit, while
/// the write lock is held, so one writer's fsync is every other writer's wait. The app instead runs SQLite with
/// <c>synchronous=NORMAL</c> (commits write the WAL, checkpoints still sync) and, after each commit and before the
/// caller goes on, syncs the WAL file here: outside the write lock, and once for every commit that finished before the
/// sync began. Nothing is acknowledged before it is on the disk, as with FULL; concurrent commits share one fsync.
/// <para>
/// The WAL file is opened afresh for each sync: SQLite deletes it when its last connection closes, after checkpointing
/// it into the database file and syncing that, so a missing WAL file has nothing left to sync. A failed sync is a
/// storage fault (ADR 0011): the write is not acknowledged and the node stops writing.
/// </para>
/// </summary>
public sealed class SqliteGroupCommit(string? walPath, StorageFault fault) : IDisposable
{
    private readonly SemaphoreSlim turn = new(1, 1);
    private long requested;
    private long covered;
    private long syncs;

    /// <summary>How many fsyncs have been made (the tests read it).</summary>
    public long Syncs => Interlocked.Read(ref syncs);

    /// <summary>Returns once everything this caller has committed is on the disk.</summary>
    public async Task FlushAsync()
    {
        var ticket = Interlocked.Increment(ref requested);
        await turn.WaitAsync();
        try
        {
            SyncUnlessCovered(ticket);
        }
        finally
        {
            turn.Release();
        }
    }

    public void Flush()
    {
        var ticket = Interlocked.Increment(ref requested);
        turn.Wait();
        try
        {
            SyncUnlessCovered(ticket);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>
    /// A caller's ticket is taken after its commit was written; a sync that begins after the ticket was taken covers it.
    /// Whoever syncs covers every ticket taken before the sync began.
    /// </summary>
    private void SyncUnlessCovered(long ticket)
    {
        if (walPath is null || Volatile.Read(ref covered) >= ticket)
        {
            return;
        }
        var upTo = Volatile.Read(ref requested);
        try
        {
            using var handle = File.OpenHandle(walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(handle);
            Interlocked.Increment(ref syncs);
        }
        catch (FileNotFoundException)
        {
            // Checkpointed into the database file and synced by SQLite when its last connection closed.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            fault.Trip($"the WAL could not be synced ({e.GetType().Name})");
            throw new StorageFaultException();
        }
        Volatile.Write(ref covered, upTo);
    }

    public void Dispose() => turn.Dispose();
}
