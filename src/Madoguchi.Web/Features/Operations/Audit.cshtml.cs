using Madoguchi.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Operations;

/// <summary>Auditors and administrators check the audit chain and read the latest entries.</summary>
[Authorize(Policy = Policies.AuditReader)]
public sealed class AuditModel(AppDb db, AuditCheckpoints checkpoints) : PageModel
{
    public AuditLog.Verification Verification { get; private set; } = null!;
    public IReadOnlyList<AuditEntry> Latest { get; private set; } = [];
    public bool CheckpointsKept => checkpoints.Enabled;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Verification = await AuditLog.VerifyAsync(db, await checkpoints.ReadAsync(ct), ct);
        Latest = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).Take(50).ToListAsync(ct);
    }
}
