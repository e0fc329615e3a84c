using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Platform.Audit;
using Madoguchi.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Madoguchi.Tests;

/// <summary>On SQLite the app's writers queue at one gate instead of in SQLite's busy handler (ADR 0010).</summary>
public sealed class SqliteWriteGateTests(SqliteApp app) : AppTests<SqliteApp>(app)
{
    [Fact]
    public async Task Every_way_a_write_transaction_ends_gives_the_gate_back()
    {
        var gate = App.Service<SqliteWriteGate>();
        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var connection = db.GetService<IRelationalConnection>().ConnectionId;

        await using (var committed = await db.Database.BeginTransactionAsync(Ct))
        {
            Assert.True(gate.IsHeldBy(connection));
            await committed.CommitAsync(Ct);
            Assert.False(gate.IsHeldBy(connection));
        }
        await using (var rolledBack = await db.Database.BeginTransactionAsync(Ct))
        {
            Assert.True(gate.IsHeldBy(connection));
            await rolledBack.RollbackAsync(Ct);
            Assert.False(gate.IsHeldBy(connection));
        }
        // Abandoned: disposed without commit or rollback, as when an exception leaves an `await using`.
        await (await db.Database.BeginTransactionAsync(Ct)).DisposeAsync();
        Assert.False(gate.IsHeldBy(connection));

        // On a connection the code opened itself, the gate stays with it until it closes, and beginning again on it
        // does not wait for itself.
        await db.Database.OpenConnectionAsync(Ct);
        await (await db.Database.BeginTransactionAsync(Ct)).DisposeAsync();
        Assert.True(gate.IsHeldBy(connection));
        await using (var again = await db.Database.BeginTransactionAsync(Ct))
        {
            await again.CommitAsync(Ct);
        }
        Assert.False(gate.IsHeldBy(connection));
        await (await db.Database.BeginTransactionAsync(Ct)).DisposeAsync();
        await db.Database.CloseConnectionAsync();
        Assert.False(gate.IsHeldBy(connection));

        // A save holds it only while it writes.
        db.Audit(TimeProvider.System, "test", "gate.checked");
        await db.SaveChangesAsync(Ct);
        Assert.False(gate.IsHeldBy(connection));
    }

    [Fact]
    public async Task Every_commit_and_every_write_outside_a_transaction_is_synced_before_it_returns()
    {
        // SQLite runs with synchronous=NORMAL; the group commit syncs the WAL before a write returns (ADR 0010).
        var commits = App.Service<SqliteGroupCommit>();
        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        Assert.Equal(1L, await db.Database.SqlQueryRaw<long>("SELECT synchronous AS \"Value\" FROM pragma_synchronous").SingleAsync(Ct));

        var before = commits.Syncs;
        db.Audit(TimeProvider.System, "test", "sync.checked");
        await db.SaveChangesAsync(Ct);
        var afterSave = commits.Syncs;
        Assert.True(afterSave > before, "a save returned without a sync");

        await db.OutboxMessages.Where(m => m.Id == Guid.Empty).ExecuteDeleteAsync(Ct);
        Assert.True(commits.Syncs > afterSave, "a write outside a transaction returned without a sync");
    }

    [Fact]
    public async Task A_pooled_context_comes_back_saving_in_a_transaction_whatever_its_last_user_changed()
    {
        // The contexts are pooled; every lease must still save in a transaction, so that every save queues at the gate.
        Guid first;
        await using (var scope = App.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            first = db.ContextId.InstanceId;
            Assert.Equal(AutoTransactionBehavior.Always, db.Database.AutoTransactionBehavior);
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        }
        // Hold leases until the pool hands that instance out again.
        var held = new List<AsyncServiceScope>();
        try
        {
            AppDb? again = null;
            while (again is null && held.Count < 500)
            {
                held.Add(App.Scope());
                var db = held[^1].ServiceProvider.GetRequiredService<AppDb>();
                Assert.Equal(AutoTransactionBehavior.Always, db.Database.AutoTransactionBehavior);
                if (db.ContextId.InstanceId == first) again = db;
            }
            Assert.NotNull(again);
            Assert.True(again.ContextId.Lease > 0);
        }
        finally
        {
            foreach (var scope in held) await scope.DisposeAsync();
        }
    }

    [Fact]
    public async Task Many_residents_submitting_at_once_are_all_stored_once_with_an_intact_audit_chain()
    {
        using var client = App.Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<SqliteApp>.TokenAsync(client, new { persona = "expecting-couple" }));
        var body = PregnancyNotice();
        var keys = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid().ToString()).ToList();

        var statuses = await Task.WhenAll(keys.Select(async key =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request, Ct);
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        var stored = await WithDb(db => db.Applications.Where(a => a.RequestKey != null && a.RequestKey.StartsWith("api:")).Select(a => a.RequestKey!).ToListAsync(Ct));
        Assert.Equal(keys.Select(k => "api:" + k).Order(), stored.Where(k => keys.Contains(k[4..])).Order());
        Assert.True((await WithDb(db => AuditLog.VerifyAsync(db, Ct))).Intact);
    }
}
