using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Platform.Audit;
using Madoguchi.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Madoguchi.Tests;

/// <summary>Each tampering is undone before the next, so the chain is whole again for the other tests of the class.</summary>
public abstract class AuditLogTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private async Task<List<AuditEntry>> SeedChainAsync(string tag, int count = 5)
    {
        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        for (var i = 0; i < count; i++)
        {
            db.Audit(clock, "system", $"test.{tag}", $"thing:{i}", new { i });
            await db.SaveChangesAsync(Ct);
        }
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == $"test.{tag}").OrderBy(e => e.Sequence).ToListAsync(Ct);
    }

    private Task<AuditLog.Verification> VerifyAsync() => WithDb(db => AuditLog.VerifyAsync(db, Ct));

    private Task<int> ExecAsync(string sql, params object[] args) => WithDb(db => db.Database.ExecuteSqlRawAsync(sql, args));

    [Fact]
    public async Task Entries_form_an_unbroken_chain_even_when_written_concurrently()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SeedChainAsync($"concurrent{i}", 5)));
        var result = await VerifyAsync();
        Assert.True(result.Intact, result.Reason);
        var sequences = await WithDb(db => db.AuditEntries.Select(e => e.Sequence).OrderBy(s => s).ToListAsync());
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
    }

    [Fact]
    public async Task Every_kind_of_tampering_is_detected_and_the_first_bad_entry_named()
    {
        // Updated content.
        var entries = await SeedChainAsync("update");
        await ExecAsync("UPDATE audit_entries SET \"Actor\" = 'staff:someone-else' WHERE \"Sequence\" = {0}", entries[2].Sequence);
        var updated = await VerifyAsync();
        Assert.False(updated.Intact);
        Assert.Equal(entries[2].Sequence, updated.FirstBadSequence);
        Assert.Contains("changed", updated.Reason);
        await ExecAsync("UPDATE audit_entries SET \"Actor\" = {0} WHERE \"Sequence\" = {1}", entries[2].Actor, entries[2].Sequence);
        Assert.True((await VerifyAsync()).Intact);

        // A deleted entry.
        await ExecAsync("DELETE FROM audit_entries WHERE \"Sequence\" = {0}", entries[1].Sequence);
        var deleted = await VerifyAsync();
        Assert.False(deleted.Intact);
        Assert.Equal(entries[2].Sequence, deleted.FirstBadSequence);
        await RestoreAsync(entries[1]);
        Assert.True((await VerifyAsync()).Intact);

        // An inserted entry, with a well-formed hash of its own, renumbering the rest.
        var last = entries[^1];
        var forged = new AuditEntry { At = last.At, Actor = "system", Action = "test.forged", Subject = "thing:forged", Detail = "{}", Sequence = last.Sequence, PreviousHash = entries[^2].Hash };
        forged.Hash = AuditLog.HashOf(forged);
        await ExecAsync("UPDATE audit_entries SET \"Sequence\" = \"Sequence\" + 1000000 WHERE \"Sequence\" = {0}", last.Sequence);
        await ExecAsync("UPDATE audit_entries SET \"Sequence\" = {0} WHERE \"Sequence\" = {1}", last.Sequence + 1, last.Sequence + 1000000);
        await RestoreAsync(new AuditEntry { At = forged.At, Actor = forged.Actor, Action = forged.Action, Subject = forged.Subject, Detail = forged.Detail, Sequence = last.Sequence, PreviousHash = forged.PreviousHash, Hash = forged.Hash });
        var inserted = await VerifyAsync();
        Assert.False(inserted.Intact);
        Assert.Equal(last.Sequence + 1, inserted.FirstBadSequence);
        await ExecAsync("DELETE FROM audit_entries WHERE \"Sequence\" = {0}", last.Sequence);
        await ExecAsync("UPDATE audit_entries SET \"Sequence\" = {0} WHERE \"Sequence\" = {1}", last.Sequence, last.Sequence + 1);
        Assert.True((await VerifyAsync()).Intact);

        // Two entries swapped in place.
        var a = entries[0];
        var b = entries[3];
        await ExecAsync("UPDATE audit_entries SET \"Sequence\" = -1 WHERE \"Sequence\" = {0}", a.Sequence);
        await ExecAsync("UPDATE audit_entries SET \"Sequence\" = {0} WHERE \"Sequence\" = {1}", a.Sequence, b.Sequence);
        await ExecAsync("UPDATE audit_entries SET \"Sequence\" = {0} WHERE \"Sequence\" = -1", b.Sequence);
        var swapped = await VerifyAsync();
        Assert.False(swapped.Intact);
        Assert.Equal(a.Sequence, swapped.FirstBadSequence);
        await ExecAsync("UPDATE audit_entries SET \"Sequence\" = -1 WHERE \"Sequence\" = {0}", a.Sequence);
        await ExecAsync("UPDATE audit_entries SET \"Sequence\" = {0} WHERE \"Sequence\" = {1}", a.Sequence, b.Sequence);
        await ExecAsync("UPDATE audit_entries SET \"Sequence\" = {0} WHERE \"Sequence\" = -1", b.Sequence);
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Signed_checkpoints_kept_off_the_database_show_entries_cut_from_its_end_and_a_forged_checkpoint()
    {
        var folder = Directory.CreateTempSubdirectory("madoguchi-checkpoints-");
        try
        {
            var settings = new Dictionary<string, string?> { ["Audit:CheckpointDirectory"] = folder.FullName, ["Audit:CheckpointKey"] = "a test secret of at least thirty-two characters" };
            await using var node = new MadoguchiApp(App.Provider) { SharedDatabase = App.Database };
            foreach (var (key, value) in settings) node.Settings[key] = value;
            await node.InitializeAsync();
            // The writer's first checkpoint, at its start.
            for (var i = 0; i < 100 && folder.GetFiles("*.jsonl").Length == 0; i++) await Task.Delay(50, Ct);
            var entries = await SeedChainAsync("checkpoint");
            await node.Services.GetServices<IHostedService>().OfType<AuditCheckpointWriter>().Single().RunOnceAsync(Ct);
            var lines = await File.ReadAllLinesAsync(Assert.Single(folder.GetFiles("*.jsonl")).FullName, Ct);
            Assert.Equal(2, lines.Length);
            var line = lines[^1];
            Assert.Contains($"\"sequence\":{entries[^1].Sequence},\"hash\":\"{entries[^1].Hash}\"", line, StringComparison.Ordinal);
            using var auditor = await SignInStaffAsync(node, "auditor");
            var page = await auditor.GetAsync("/staff/audit");
            Assert.Null(page.Document.QuerySelector(".error-summary"));
            Assert.Contains("署名付きチェックポイント 2 件とも一致", page.Document.QuerySelector("#audit-checkpoints")!.TextContent, StringComparison.Ordinal);
            var verb = await AppProcess.RunAsync(App.Database.Settings().Concat(settings).ToDictionary(), "Production", "verify-audit");
            Assert.Equal(0, verb.ExitCode);
            Assert.Contains("reaching all 2 signed checkpoints", verb.Output, StringComparison.Ordinal);

            // The last two entries cut away (and all after them): the chain alone still looks whole, the checkpoint does not agree.
            var from = entries[^2].Sequence;
            var cut = await WithDb(db => db.AuditEntries.AsNoTracking().Where(e => e.Sequence >= from).OrderBy(e => e.Sequence).ToListAsync(Ct));
            await ExecAsync("DELETE FROM audit_entries WHERE \"Sequence\" >= {0}", entries[^2].Sequence);
            Assert.True((await VerifyAsync()).Intact);
            page = await auditor.GetAsync("/staff/audit");
            Assert.Contains("entries were cut from its end", page.Document.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
            verb = await AppProcess.RunAsync(App.Database.Settings().Concat(settings).ToDictionary(), "Production", "verify-audit");
            Assert.Equal(2, verb.ExitCode);
            Assert.Contains($"broken at entry {entries[^2].Sequence}", verb.Error, StringComparison.Ordinal);
            await ExecAsync("DELETE FROM audit_entries WHERE \"Sequence\" >= {0}", entries[^2].Sequence);
            foreach (var entry in cut) await RestoreAsync(entry);

            // A checkpoint written without the key (here: one digit of the sequence changed) is refused, so nobody can vouch for a shorter log.
            await File.AppendAllTextAsync(Path.Combine(folder.FullName, "elsewhere.jsonl"), line.Replace($"\"sequence\":{entries[^1].Sequence}", $"\"sequence\":{entries[^1].Sequence - 1}", StringComparison.Ordinal) + "\n", Ct);
            page = await auditor.GetAsync("/staff/audit");
            Assert.Contains("signature does not verify", page.Document.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        Assert.True((await VerifyAsync()).Intact);
    }

    /// <summary>Puts an entry back exactly as it was, bypassing the chaining that SaveChanges does.</summary>
    private Task<int> RestoreAsync(AuditEntry e) => ExecAsync(
        "INSERT INTO audit_entries (\"Sequence\", \"At\", \"Actor\", \"Action\", \"Subject\", \"Detail\", \"PreviousHash\", \"Hash\") VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7})",
        e.Sequence, e.At, e.Actor, e.Action, e.Subject!, e.Detail!, e.PreviousHash, e.Hash);
}

public sealed class AuditLogTests_Sqlite(SqliteApp app) : AuditLogTests<SqliteApp>(app);

public sealed class AuditLogTests_Postgres(PostgresApp app) : AuditLogTests<PostgresApp>(app);
