using System.Collections.Concurrent;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Platform.Data;
using Madoguchi.Web.Platform.Mail;
using Madoguchi.Web.Platform.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Madoguchi.Tests;

public abstract class OutboxTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private async Task<MadoguchiApp> StartAsync(TestDatabase? shared, Action<MadoguchiApp>? configure = null)
    {
        var node = new MadoguchiApp(App.Provider) { SharedDatabase = shared };
        configure?.Invoke(node);
        await node.InitializeAsync();
        return node;
    }

    private static async Task<OutboxMessage> WaitForAsync(MadoguchiApp node, Guid id, Func<OutboxMessage, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using var scope = node.Scope();
            var message = await scope.ServiceProvider.GetRequiredService<AppDb>().OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id, Ct);
            if (done(message)) return message;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Outbox message is {message.Status} after {message.Attempts} attempts: {message.LastError}");
            await Task.Delay(100, Ct);
        }
    }

    private static async Task<Guid> QueueMailAsync(MadoguchiApp node, string to)
    {
        await using var scope = node.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        db.QueueMail(TimeProvider.System, to, "お知らせ", "本文");
        var id = db.ChangeTracker.Entries<OutboxMessage>().Single().Entity.Id;
        await db.SaveChangesAsync(Ct);
        return id;
    }

    /// <summary>Mail through the relay at this port on the loopback.</summary>
    private static void ThroughRelay(MadoguchiApp node, int port)
    {
        node.Settings["Mail:Mode"] = "Smtp";
        node.Settings["Mail:SmtpHost"] = "127.0.0.1";
        node.Settings["Mail:SmtpPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_crash_before_or_during_delivery_still_delivers_exactly_once_after_restart()
    {
        // Node one commits the message but dies before its dispatcher runs.
        var first = await StartAsync(null, n => n.Settings["Outbox:Enabled"] = "false");
        var database = first.Database;
        var before = await QueueMailAsync(first, "before@example.jp");

        // A second message is delivered, but the node dies before recording it: its lease is left behind.
        var during = await QueueMailAsync(first, "during@example.jp");
        await using (var scope = first.Scope())
        {
            var handler = scope.ServiceProvider.GetServices<IOutboxHandler>().Single(h => h.Type == MailExtensions.Type);
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var message = await db.OutboxMessages.SingleAsync(m => m.Id == during, Ct);
            await handler.HandleAsync(message.Id, message.Payload, Ct);
            message.LockedBy = "dead-node";
            message.LockedUntil = DateTime.UtcNow.AddSeconds(1);
            await db.SaveChangesAsync(Ct);
        }
        var mailFolder = first.MailFolder;
        Assert.Single(await Mailbox.ReadAllAsync(mailFolder));

        // Keep the database: the restarted node runs on it.
        var restarted = await StartAsync(database);
        await WaitForAsync(restarted, before, m => m.Status == OutboxStatus.Done);
        await WaitForAsync(restarted, during, m => m.Status == OutboxStatus.Done);
        var mails = await Mailbox.ReadAllAsync(mailFolder);
        Assert.Equal(2, mails.Count);
        Assert.Equal([$"{before:N}@madoguchi", $"{during:N}@madoguchi"], mails.Select(m => m.MessageId).Order());
        await restarted.DisposeAsync();
        await first.DisposeAsync();
    }

    [Fact]
    public async Task A_message_enqueued_on_a_node_is_delivered_at_once_without_waiting_for_the_poll()
    {
        await using var node = await StartAsync(null, n => n.Settings["Outbox:PollSeconds"] = "60");
        await Task.Delay(500, Ct); // let the dispatcher finish its first round and settle into its long wait
        var id = await QueueMailAsync(node, "soon@example.jp");
        var started = DateTime.UtcNow;
        await WaitForAsync(node, id, m => m.Status == OutboxStatus.Done);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "delivered only by the poll");
    }

    [Fact]
    public async Task Failures_back_off_then_go_dead_and_an_administrator_can_send_again()
    {
        var smtpPort = SmtpSink.FreePort();
        await using var node = await StartAsync(null, n =>
        {
            ThroughRelay(n, smtpPort);
            n.Settings["Outbox:MaxAttempts"] = "3";
            n.Settings["Outbox:FirstRetrySeconds"] = "0.1";
        });
        var id = await QueueMailAsync(node, "resident@example.jp");
        var dead = await WaitForAsync(node, id, m => m.Status == OutboxStatus.Dead);
        Assert.Equal(3, dead.Attempts);
        Assert.False(string.IsNullOrEmpty(dead.LastError));

        // The administrator sees it among the dead letters and sends it again once the relay is back.
        await using var smtp = new SmtpSink(smtpPort);
        using var admin = await SignInStaffAsync(node, "admin");
        var page = await admin.GetAsync("/staff/outbox");
        Assert.Equal("1", page.Document.QuerySelector("#outbox-dead")!.TextContent.Trim());
        var after = await admin.SubmitAsync(page, $"form:has(input[value='{id}'])");
        Assert.Equal("/staff/outbox", after.Url.AbsolutePath);
        await using (var scope = node.Scope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<AppDb>().AuditEntries.AnyAsync(e => e.Action == "outbox.retried" && e.Subject == $"outbox:{id}", Ct));
        }
        await WaitForAsync(node, id, m => m.Status == OutboxStatus.Done);
        var received = Assert.Single(smtp.Messages);
        Assert.Contains($"{id:N}@madoguchi", received);
        Assert.Contains("resident@example.jp", received);
    }

    [Theory]
    [InlineData(int.MaxValue, 1)]
    [InlineData(3, 3)]
    public async Task A_batch_of_mail_shares_relay_connections_and_a_relay_that_hangs_up_loses_and_doubles_nothing(int perConnection, int connections)
    {
        await using var smtp = new SmtpSink { MessagesPerConnection = perConnection };
        await using var node = await StartAsync(null, n => ThroughRelay(n, smtp.Port));
        var ids = new List<Guid>();
        await using (var scope = node.Scope())
        {
            // One commit, so the dispatcher claims all eight as one batch.
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            for (var i = 0; i < 8; i++) ids.Add(db.QueueMail(TimeProvider.System, $"resident{i}@example.jp", "お知らせ", "本文").Id);
            await db.SaveChangesAsync(Ct);
        }
        foreach (var id in ids)
        {
            // Sent on the first attempt: a connection the relay closed is replaced at once, not left to the retry backoff.
            Assert.Equal(0, (await WaitForAsync(node, id, m => m.Status == OutboxStatus.Done)).Attempts);
        }
        Assert.Equal(ids.Select(id => $"{id:N}@madoguchi").Order(), smtp.Messages.Select(m => System.Text.RegularExpressions.Regex.Match(m, "Message-Id: <([^>]+)>").Groups[1].Value).Order());
        Assert.Equal(connections, smtp.Connections);
    }

    [Fact]
    public async Task Mail_goes_through_the_fallback_relay_while_the_first_is_down_and_back_through_the_first_once_it_returns()
    {
        await using var fallback = new SmtpSink();
        var firstPort = SmtpSink.FreePort();
        await using var node = await StartAsync(null, n =>
        {
            ThroughRelay(n, firstPort);
            n.Settings["Mail:Fallback:Host"] = "127.0.0.1";
            n.Settings["Mail:Fallback:Port"] = fallback.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        async Task<List<Guid>> QueueAsync(int count)
        {
            await using var scope = node.Scope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var ids = Enumerable.Range(0, count).Select(i => db.QueueMail(TimeProvider.System, $"resident{i}@example.jp", "お知らせ", "本文").Id).ToList();
            await db.SaveChangesAsync(Ct);
            return ids;
        }
        static IEnumerable<string> MessageIds(SmtpSink sink) => sink.Messages.Select(m => System.Text.RegularExpressions.Regex.Match(m, "Message-Id: <([^>]+)>").Groups[1].Value);

        // Nothing listens where the first relay should be: every mail goes through the fallback, at the first attempt, once.
        var during = await QueueAsync(5);
        foreach (var id in during)
        {
            Assert.Equal(0, (await WaitForAsync(node, id, m => m.Status == OutboxStatus.Done)).Attempts);
        }
        Assert.Equal(during.Select(id => $"{id:N}@madoguchi").Order(), MessageIds(fallback).Order());

        // The first relay is back: the next batch goes through it again.
        await using var first = new SmtpSink(firstPort);
        var after = await QueueAsync(3);
        foreach (var id in after)
        {
            await WaitForAsync(node, id, m => m.Status == OutboxStatus.Done);
        }
        Assert.Equal(after.Select(id => $"{id:N}@madoguchi").Order(), MessageIds(first).Order());
        Assert.Equal(5, fallback.Messages.Count);
    }

    [Fact]
    public async Task Two_nodes_dispatching_the_same_queue_handle_each_message_once()
    {
        var counts = new ConcurrentDictionary<Guid, int>();
        void Counting(MadoguchiApp n) => n.ConfigureTestServices = services => services.AddSingleton<IOutboxHandler>(new CountingHandler(counts));
        await using var one = await StartAsync(null, n => { Counting(n); n.Settings["Outbox:BatchSize"] = "5"; });
        await using var two = await StartAsync(one.Database, n => { Counting(n); n.Settings["Outbox:BatchSize"] = "5"; });
        var ids = new List<Guid>();
        await using (var scope = one.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            for (var i = 0; i < 60; i++) ids.Add(db.Enqueue(TimeProvider.System, CountingHandler.Name, new { i }).Id);
            await db.SaveChangesAsync(Ct);
        }
        one.Service<OutboxSignal>().Notify();
        two.Service<OutboxSignal>().Notify();
        foreach (var id in ids)
        {
            await WaitForAsync(one, id, m => m.Status == OutboxStatus.Done);
        }
        Assert.Equal(60, counts.Count);
        Assert.All(ids, id => Assert.Equal(1, counts[id]));
    }

    private sealed class CountingHandler(ConcurrentDictionary<Guid, int> counts) : IOutboxHandler
    {
        public const string Name = "test.count";

        public string Type => Name;

        public async Task HandleAsync(Guid messageId, string payload, CancellationToken ct)
        {
            counts.AddOrUpdate(messageId, 1, (_, n) => n + 1);
            await Task.Delay(5, ct);
        }
    }
}

public sealed class OutboxTests_Sqlite(SqliteApp app) : OutboxTests<SqliteApp>(app);

public sealed class OutboxTests_Postgres(PostgresApp app) : OutboxTests<PostgresApp>(app);
