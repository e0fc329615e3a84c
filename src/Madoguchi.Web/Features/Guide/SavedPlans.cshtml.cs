using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Guide;

/// <summary>The plans a resident saved to their account, and saving one.</summary>
[Authorize(Policy = Policies.Resident)]
public sealed class SavedPlansModel(AppDb db, CatalogIndex index, TimeProvider clock, Ui t) : PageModel
{
    public const int MaxPlans = 50;

    public CatalogSnapshot Catalog { get; private set; } = null!;
    public IReadOnlyList<SavedPlan> Plans { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Catalog = await index.GetAsync(ct);
        var residentId = User.ResidentId()!.Value;
        Plans = await db.SavedPlans.AsNoTracking().Where(p => p.ResidentId == residentId).OrderByDescending(p => p.CreatedAt).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(string eventId, CancellationToken ct)
    {
        Catalog = await index.GetAsync(ct);
        if (Catalog.LifeEvent(eventId) is not { } lifeEvent)
        {
            return BadRequest();
        }
        var request = GuideQuery.Read(Request.Form, lifeEvent);
        if (request.Validate(lifeEvent, Catalog, t, out var eventDate).Count > 0)
        {
            // The form only carries what the plan page showed; a bad value means it was tampered with. Show the plan's own errors.
            return Redirect($"/guide/{eventId}/plan{GuideQuery.ToQuery(request)}");
        }
        var residentId = User.ResidentId()!.Value;
        // Saving the same plan twice (a double click, a retry) keeps one copy.
        var existing = await db.SavedPlans.Where(p => p.ResidentId == residentId && p.EventId == eventId && p.EventDate == eventDate).ToListAsync(ct);
        var same = existing.FirstOrDefault(p => p.Ward == request.Ward && p.Answers.Count == request.Answers!.Count && !p.Answers.Except(request.Answers).Any());
        if (same is not null)
        {
            return Redirect($"/guide/plans/{same.Id}");
        }
        if (await db.SavedPlans.CountAsync(p => p.ResidentId == residentId, ct) >= MaxPlans)
        {
            return Redirect("/guide/plans?full=true");
        }
        var plan = new SavedPlan
        {
            ResidentId = residentId,
            EventId = eventId,
            EventDate = eventDate,
            Ward = request.Ward,
            Answers = request.Answers ?? [],
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.SavedPlans.Add(plan);
        db.Audit(clock, AuditLog.ActorOf(User), "guide.plan-saved", $"plan:{plan.Id}", eventId);
        await db.SaveChangesAsync(ct);
        return Redirect($"/guide/plans/{plan.Id}");
    }
}
