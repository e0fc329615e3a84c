using System.Diagnostics;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Platform.Audit;
using Madoguchi.Web.Platform.Data;
using Madoguchi.Web.Platform.Mail;
using Madoguchi.Web.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Bench;

/// <summary>
/// Fills a bench database with submitted applications, so that restarts and recoveries are measured on a city's
/// worth of data rather than an empty file. Each copy is what the API stores for a submission: the application made
/// from a template submitted through the API, its draft and received steps, its audit entry (chained by the app's own
/// save, so <c>verify-audit</c> walks it) and its confirmation mail, already sent.
/// </summary>
internal static class Preload
{
    private const int Batch = 2_000;

    public static async Task StoreAsync(SubmissionBench.Target target, Guid templateId, int count)
    {
        var clock = Stopwatch.StartNew();
        // The template's values, changed and turned into a new object for each copy.
        await using var source = Open(target);
        var application = source.Entry(await source.Applications.SingleAsync(a => a.Id == templateId)).CurrentValues.Clone();
        var steps = (await source.ApplicationEvents.Where(e => e.ApplicationId == templateId).OrderBy(e => e.At).ToListAsync())
            .Select(e => source.Entry(e).CurrentValues.Clone()).ToList();
        var time = TimeProvider.System;
        for (var done = 0; done < count; done += Batch)
        {
            await using var db = Open(target);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = done; i < Math.Min(count, done + Batch); i++)
            {
                var id = Guid.CreateVersion7();
                var reference = Application.NewReference();
                application[nameof(Application.Id)] = id;
                application[nameof(Application.Reference)] = reference;
                application[nameof(Application.RequestKey)] = $"api:preload-{i}";
                db.Add(application.ToObject());
                foreach (var step in steps)
                {
                    step[nameof(ApplicationEvent.Id)] = Guid.CreateVersion7();
                    step[nameof(ApplicationEvent.ApplicationId)] = id;
                    db.Add(step.ToObject());
                }
                db.Audit(time, Filing.ResidentActor, "application.received", $"application:{id}", new { from = "draft", to = "received" });
                var mail = db.QueueMail(time, "preload@example.jp", reference, "受け付けました");
                mail.Status = OutboxStatus.Done;
                mail.ProcessedAt = mail.CreatedAt;
            }
            await db.SaveChangesAsync();
            if ((done / Batch) % 50 == 49)
            {
                Console.WriteLine($"  {done + Batch:N0} stored, {(done + Batch) / clock.Elapsed.TotalSeconds:0}/s");
            }
        }
        Console.WriteLine($"Stored {count:N0} submitted applications in {clock.Elapsed.TotalSeconds:0} s ({count / clock.Elapsed.TotalSeconds:0}/s).");
    }

    internal static AppDb Open(SubmissionBench.Target target) => target.Provider == "sqlite"
        ? new SqliteAppDb(new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite(target.ConnectionString).Options)
        : new PostgresAppDb(new DbContextOptionsBuilder<PostgresAppDb>().UseNpgsql(target.ConnectionString).Options);
}
