using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Platform.Outbox;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Operations;

/// <summary>Administrators see the outbox: what waits, and what died after every retry, and can send a dead message again.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class OutboxModel(AppDb db, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid Id, string Type, DateTime CreatedAt, int Attempts, string? LastError);

    public int Pending { get; private set; }
    public int Done { get; private set; }
    public IReadOnlyList<Row> Dead { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var counts = await db.OutboxMessages.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Pending = counts.FirstOrDefault(c => c.Key == OutboxStatus.Pending)?.Count ?? 0;
        Done = counts.FirstOrDefault(c => c.Key == OutboxStatus.Done)?.Count ?? 0;
        Dead = await db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.Dead)
            .OrderByDescending(m => m.CreatedAt).Take(200)
            .Select(m => new Row(m.Id, m.Type, m.CreatedAt, m.Attempts, m.LastError)).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken ct)
    {
        if (await db.RetryDeadAsync(id, clock, ct) == 0) return NotFound();
        db.Audit(clock, AuditLog.ActorOf(User), "outbox.retried", $"outbox:{id}");
        await db.SaveChangesAsync(ct);
        return RedirectToPage();
    }
}
