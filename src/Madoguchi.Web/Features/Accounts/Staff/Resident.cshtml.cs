using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Accounts.Staff;

/// <summary>A resident's profile as staff see it. Every opening is written to the audit log, in the same transaction as nothing else: it is the record.</summary>
[Authorize(Policy = Policies.ResidentReader)]
public sealed class ResidentModel(AppDb db, TimeProvider clock) : PageModel
{
    public AccountsApi.ProfileView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var resident = await db.Residents.AsNoTracking().Include(r => r.Household).SingleOrDefaultAsync(r => r.Id == id, ct);
        if (resident is null) return NotFound();
        db.Audit(clock, AuditLog.ActorOf(User), "staff.viewed-resident", $"resident:{resident.Id}");
        await db.SaveChangesAsync(ct);
        View = AccountsApi.ToView(resident);
        return Page();
    }
}
