using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Madoguchi.Web.Platform.Audit;

public static class AuditLog
{
    private static long placeholder;

    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Adds an entry to the unit of work; it is chained and stored by the next SaveChanges, in the same transaction as the change it records.</summary>
    public static void Audit(this AppDb db, TimeProvider clock, string actor, string action, string? subject = null, object? detail = null)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            // A placeholder key, unique and falling in the order of adding, so one unit of work can hold several entries; the save numbers them.
            Sequence = Interlocked.Decrement(ref placeholder),
            At = clock.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = action,
            Subject = subject,
            Detail = detail is null ? null : JsonSerializer.Serialize(detail),
        });
        Security.SecurityLog.Audited(db, actor, action);
    }

    /// <summary>"resident:{id}", "staff:{id}" or "anonymous", from the signed-in principal.</summary>
    public static string ActorOf(ClaimsPrincipal? user)
    {
        var id = user?.FindFirstValue(ClaimTypes.NameIdentifier);
        var kind = user?.FindFirstValue("kind");
        return id is null || kind is null ? "anonymous" : $"{kind}:{id}";
    }

    internal static async Task<int> SaveChainedAsync(AppDb db, Func<Task<int>> save, CancellationToken ct)
    {
        var owned = db.Database.CurrentTransaction is null;
        var transaction = owned ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            if (db.IsPostgres)
            {
                // Serialises appenders across app nodes; SQLite's write lock does the same on one box.
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(727001)", ct);
            }
            var last = await db.AuditEntries.AsNoTracking()
                .OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash })
                .FirstOrDefaultAsync(ct);
            var (sequence, previous) = last is null ? (0L, Genesis) : (last.Sequence, last.Hash);
            foreach (var added in db.Tracked<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).OrderByDescending(e => e.Sequence).ToList())
            {
                added.Sequence = ++sequence;
                added.PreviousHash = previous;
                added.Hash = HashOf(added);
                previous = added.Hash;
            }
            var written = await save();
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }
            return written;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    /// <summary>SHA-256 over a length-prefixed canonical form, so no two different entries share an encoding.</summary>
    public static string HashOf(AuditEntry e)
    {
        var fields = new[]
        {
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.At.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            e.Actor, e.Action, e.Subject ?? "", e.Detail ?? "", e.PreviousHash,
        };
        var canonical = new StringBuilder();
        foreach (var field in fields)
        {
            canonical.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    public sealed record Verification(bool Intact, long Checked, long? FirstBadSequence, string? Reason, int Checkpoints = 0);

    /// <summary>Walks the whole chain in order. Any update, deletion, insertion or reordering breaks a link.</summary>
    public static Task<Verification> VerifyAsync(AppDb db, CancellationToken ct = default) => VerifyAsync(db, [], ct);

    /// <summary>
    /// Walks the whole chain in order, and holds it against signed checkpoints kept off the database: the chain must
    /// reach every checkpoint with the same hash, so entries cut from its end or a chain rewritten past one show too.
    /// </summary>
    public static async Task<Verification> VerifyAsync(AppDb db, IReadOnlyList<AuditCheckpoint> checkpoints, CancellationToken ct)
    {
        if (checkpoints.FirstOrDefault(c => !c.Genuine) is { } forged)
        {
            return new Verification(false, 0, forged.Sequence, "a checkpoint's signature does not verify (it was altered, forged or signed with another key)");
        }
        var vouched = checkpoints.GroupBy(c => c.Sequence).ToDictionary(g => g.Key, g => g.First());
        var expectedSequence = 1L;
        var previous = Genesis;
        await foreach (var e in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            string? reason = null;
            if (e.Sequence != expectedSequence)
            {
                reason = $"expected sequence {expectedSequence}, found {e.Sequence} (an entry was removed or inserted)";
            }
            else if (e.PreviousHash != previous)
            {
                reason = "its link to the previous entry does not match (entries were removed, inserted or reordered)";
            }
            else if (HashOf(e) != e.Hash)
            {
                reason = "its content does not match its hash (the entry was changed)";
            }
            else if (vouched.TryGetValue(e.Sequence, out var checkpoint) && checkpoint.Hash != e.Hash)
            {
                reason = $"it differs from the checkpoint of {checkpoint.At:yyyy-MM-dd HH:mm:ss} UTC (the chain was rewritten up to here)";
            }
            if (reason is not null)
            {
                return new Verification(false, expectedSequence - 1, e.Sequence, reason, checkpoints.Count);
            }
            previous = e.Hash;
            expectedSequence++;
        }
        var head = expectedSequence - 1;
        if (checkpoints.Where(c => c.Sequence > head).MaxBy(c => c.Sequence) is { } beyond)
        {
            return new Verification(false, head, head + 1,
                $"the log ends at entry {head}, but a checkpoint of {beyond.At:yyyy-MM-dd HH:mm:ss} UTC vouches for entry {beyond.Sequence} (entries were cut from its end)", checkpoints.Count);
        }
        return new Verification(true, head, null, null, checkpoints.Count);
    }
}
