using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Guide;

/// <summary>One saved plan, rebuilt from today's catalogue; only its owner sees it.</summary>
[Authorize(Policy = Policies.Resident)]
public sealed class SavedPlanModel(AppDb db, CatalogIndex index, CityCalendar calendar, TimeProvider clock) : PageModel
{
    public CatalogSnapshot Catalog { get; private set; } = null!;
    public SavedPlan Saved { get; private set; } = null!;
    public Plan? Plan { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } saved)
        {
            return NotFound();
        }
        Saved = saved;
        Catalog = await index.GetAsync(ct);
        if (Catalog.LifeEvent(saved.EventId) is { } lifeEvent)
        {
            Plan = Planner.Build(Catalog, calendar, saved.EventId, lifeEvent, saved.EventDate, saved.Ward, saved.Answers);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } saved)
        {
            return NotFound();
        }
        db.SavedPlans.Remove(saved);
        db.Audit(clock, AuditLog.ActorOf(User), "guide.plan-deleted", $"plan:{saved.Id}");
        await db.SaveChangesAsync(ct);
        return Redirect("/guide/plans");
    }

    private Task<SavedPlan?> FindAsync(Guid id, CancellationToken ct)
    {
        var residentId = User.ResidentId()!.Value;
        return db.SavedPlans.SingleOrDefaultAsync(p => p.Id == id && p.ResidentId == residentId, ct);
    }
}
