using System.Diagnostics;
using System.Globalization;
using Madoguchi.Web.Platform.Audit;
using Madoguchi.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Madoguchi.Bench;

/// <summary>
/// The reference's S13 detection drill: a chain of audit entries with signed checkpoints (one every 1,000 entries and
/// one at the head, as the app's writer leaves them), then random single mutations, each verified and undone: a
/// changed entry, a deleted one, a forged one inserted with a well-formed hash, two swapped, the tail cut. Every one
/// must be detected. The cut tails are also verified without the checkpoints, to show what the chain alone misses.
/// </summary>
internal static class TamperBench
{
    private enum Kind { Update, Delete, Insert, Reorder, TruncateTail }

    public static async Task<int> RunAsync(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "sqlite";
        var mutations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        var size = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
        await using var target = await SubmissionBench.TargetAsync(provider);
        // The app makes the schema (and the demo's first entries).
        var port = Processes.FreePort();
        using (var app = SubmissionBench.StartApp(target, port))
        {
            using var client = new HttpClient();
            await Processes.WaitReadyAsync(client, new Uri($"http://127.0.0.1:{port}/readyz"));
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
        await using var db = Preload.Open(target);
        for (var done = 0; done < size; done += 1_000)
        {
            for (var i = 0; i < 1_000; i++) db.Audit(TimeProvider.System, "staff:bench", "resident.viewed", $"resident:{Guid.NewGuid()}", new { i });
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        var checkpoints = new AuditCheckpoints(Options.Create(new AuditOptions
        {
            CheckpointDirectory = Path.Combine(target.Work.FullName, "checkpoints"),
            CheckpointKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        }));
        var all = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        foreach (var e in all.Where(e => e.Sequence % 1_000 == 0 || e == all[^1])) await checkpoints.AppendAsync(e.Sequence, e.Hash, e.At, default);
        var signed = await checkpoints.ReadAsync(default);
        var head = all[^1].Sequence;
        if (!(await AuditLog.VerifyAsync(db, signed, default)).Intact) throw new InvalidOperationException("The chain is not intact before the drill.");
        Console.WriteLine($"Tamper drill on {provider}: {head:N0} entries, {signed.Count} signed checkpoints, {mutations:N0} random mutations.");

        var tried = new Dictionary<Kind, (int Tried, int Detected)>();
        var (cuts, cutsSeenByChainAlone) = (0, 0);
        var verifying = new Stopwatch();
        var random = new Random(7);
        for (var m = 0; m < mutations; m++)
        {
            var kind = (Kind)random.Next(5);
            var s = random.NextInt64(2, head);
            var undo = await MutateAsync(db, kind, s, random, head);
            verifying.Start();
            var result = await AuditLog.VerifyAsync(db, signed, default);
            verifying.Stop();
            if (kind == Kind.TruncateTail)
            {
                cuts++;
                if (!(await AuditLog.VerifyAsync(db, default)).Intact) cutsSeenByChainAlone++;
            }
            var (t, d) = tried.GetValueOrDefault(kind);
            tried[kind] = (t + 1, d + (result.Intact ? 0 : 1));
            await undo();
            if (m % 100 == 99 && !(await AuditLog.VerifyAsync(db, signed, default)).Intact) throw new InvalidOperationException($"Mutation {m + 1} ({kind}) was not undone.");
        }
        var intactAfter = (await AuditLog.VerifyAsync(db, signed, default)).Intact;

        Console.WriteLine($"{"mutation",14} {"tried",6} {"detected",9}");
        foreach (var (kind, (t, d)) in tried.OrderBy(k => k.Key)) Console.WriteLine($"{kind,14} {t,6} {d,9}");
        var (total, detected) = (tried.Values.Sum(v => v.Tried), tried.Values.Sum(v => v.Detected));
        Console.WriteLine($"detected {detected} of {total} ({(double)detected / total:P1}; must be 100 %); a verification of {head:N0} entries took {verifying.Elapsed.TotalMilliseconds / total:0} ms on average");
        Console.WriteLine($"cut tails the chain alone shows, without the checkpoints: {cutsSeenByChainAlone} of {cuts}; the chain intact again after the drill: {intactAfter}");
        return detected == total && intactAfter ? 0 : 1;
    }

    /// <summary>Applies one mutation at entry <paramref name="s"/> and returns what undoes it.</summary>
    private static async Task<Func<Task>> MutateAsync(AppDb db, Kind kind, long s, Random random, long head)
    {
        Task Sql(string sql, params object[] args) => db.Database.ExecuteSqlRawAsync(sql, args);
        Task Put(AuditEntry e) => Sql(
            "INSERT INTO audit_entries (\"Sequence\", \"At\", \"Actor\", \"Action\", \"Subject\", \"Detail\", \"PreviousHash\", \"Hash\") VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7})",
            e.Sequence, e.At, e.Actor, e.Action, e.Subject!, e.Detail!, e.PreviousHash, e.Hash);
        async Task Swap(long a, long b)
        {
            await Sql("UPDATE audit_entries SET \"Sequence\" = -1 WHERE \"Sequence\" = {0}", a);
            await Sql("UPDATE audit_entries SET \"Sequence\" = {0} WHERE \"Sequence\" = {1}", a, b);
            await Sql("UPDATE audit_entries SET \"Sequence\" = {0} WHERE \"Sequence\" = -1", b);
        }
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == s);
        switch (kind)
        {
            case Kind.Update:
                await Sql("UPDATE audit_entries SET \"Actor\" = {0} WHERE \"Sequence\" = {1}", "staff:someone-else", s);
                return () => Sql("UPDATE audit_entries SET \"Actor\" = {0} WHERE \"Sequence\" = {1}", entry.Actor, s);
            case Kind.Delete:
                await Sql("DELETE FROM audit_entries WHERE \"Sequence\" = {0}", s);
                return () => Put(entry);
            case Kind.Insert:
                // Everything from s on moves up one (through negative numbers, so no two rows ever share one).
                await Sql("UPDATE audit_entries SET \"Sequence\" = -\"Sequence\" - 1 WHERE \"Sequence\" >= {0}", s);
                await Sql("UPDATE audit_entries SET \"Sequence\" = -\"Sequence\" WHERE \"Sequence\" < 0");
                var forged = new AuditEntry { Sequence = s, At = entry.At, Actor = "system", Action = "bench.forged", Subject = "thing:forged", Detail = "{}", PreviousHash = entry.PreviousHash };
                forged.Hash = AuditLog.HashOf(forged);
                await Put(forged);
                return async () =>
                {
                    await Sql("DELETE FROM audit_entries WHERE \"Sequence\" = {0}", s);
                    await Sql("UPDATE audit_entries SET \"Sequence\" = -(\"Sequence\" - 1) WHERE \"Sequence\" > {0}", s);
                    await Sql("UPDATE audit_entries SET \"Sequence\" = -\"Sequence\" WHERE \"Sequence\" < 0");
                };
            case Kind.Reorder:
                var other = Math.Min(head, s + 1 + random.Next(20));
                await Swap(s, other);
                return () => Swap(s, other);
            default:
                var from = head - random.Next(1, 21) + 1;
                var tail = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence >= from).OrderBy(e => e.Sequence).ToListAsync();
                await Sql("DELETE FROM audit_entries WHERE \"Sequence\" >= {0}", from);
                return async () =>
                {
                    foreach (var e in tail) await Put(e);
                };
        }
    }
}
