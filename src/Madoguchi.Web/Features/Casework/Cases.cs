using System.Security.Claims;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Approvals;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Casework;

public enum CaseError { None, NotFound, ReadOnly, NotAllowed, CommentRequired, Invalid, Conflict }

/// <summary>What the inbox is filtered by; every filter is optional.</summary>
public sealed record InboxFilter(
    string? Status = null, string? Procedure = null, string? Channel = null, string? Office = null, string? Department = null,
    string? Due = null, string? Assigned = null, int Page = 1)
{
    public const int PageSize = 50;
    public const int CountLimit = 1000;
}

/// <summary>
/// The back office: the inbox a staff member's scope allows, claiming and assigning, notes, and the transitions staff make
/// (start review, return for correction, complete once the notice is issued). Decisions go through the approval route.
/// </summary>
public sealed class Cases(AppDb db, TimeProvider clock, CityCalendar calendar, Transitions transitions, IOptions<CaseworkOptions> options)
{
    /// <summary>The moves staff make directly; decision-proposed goes through the approval route.</summary>
    public static readonly IReadOnlyList<string> StaffMoves = [ApplicationStatus.InReview, ApplicationStatus.Returned, ApplicationStatus.Completed];

    public CaseworkOptions Options => options.Value;

    public CaseScope ScopeOf(ClaimsPrincipal user) => CaseScope.Of(user, options.Value);

    public IQueryable<Application> Inbox(CaseScope scope, InboxFilter filter)
    {
        var cases = filter.Status == CaseScope.Awaiting ? AwaitingMe(scope) : scope.Filter(db.Applications.AsNoTracking());
        if (filter.Status is { Length: > 0 } status && status != CaseScope.Awaiting) cases = status == "open" ? cases.Where(a => CaseScope.Open.Contains(a.Status)) : cases.Where(a => a.Status == status);
        if (filter.Procedure is { Length: > 0 } procedure) cases = cases.Where(a => a.ProcedureCode == procedure);
        if (filter.Channel is { Length: > 0 } channel) cases = cases.Where(a => a.Channel == channel);
        if (filter.Office is { Length: > 0 } office) cases = cases.Where(a => a.Office == office);
        if (filter.Department is { Length: > 0 } department) cases = cases.Where(a => a.Department == department);
        var today = calendar.Today;
        if (filter.Due == "overdue") cases = cases.Where(a => CaseScope.Open.Contains(a.Status) && a.DueOn < today);
        if (filter.Due == "soon")
        {
            var soon = today.AddDays(options.Value.NearDueDays);
            cases = cases.Where(a => CaseScope.Open.Contains(a.Status) && a.DueOn >= today && a.DueOn <= soon);
        }
        if (filter.Assigned == "none") cases = cases.Where(a => a.AssignedTo == null);
        if (filter.Assigned is { Length: > 0 } assigned && Guid.TryParse(assigned, out var staffId)) cases = cases.Where(a => a.AssignedTo == staffId);
        return cases;
    }

    /// <summary>
    /// One page of the inbox, the most urgent first: due date, then arrival. Counting stops past
    /// <see cref="InboxFilter.CountLimit"/>: beyond that a number helps nobody and costs every page view.
    /// </summary>
    public async Task<(List<Application> Cases, int Total)> PageAsync(CaseScope scope, InboxFilter filter, CancellationToken ct)
    {
        var query = Inbox(scope, filter);
        var total = await query.Take(InboxFilter.CountLimit + 1).CountAsync(ct);
        var page = await query.OrderBy(a => a.DueOn).ThenBy(a => a.SubmittedAt)
            .Skip((Math.Max(1, filter.Page) - 1) * InboxFilter.PageSize).Take(InboxFilter.PageSize).ToListAsync(ct);
        return (page, total);
    }

    /// <summary>
    /// The case, if the scope covers it, or if it is on an approval route that consults one of the staff member's
    /// departments (合議): they open it to decide their step, and do nothing else with it.
    /// </summary>
    public async Task<Application?> FindAsync(Guid id, CaseScope scope, CancellationToken ct)
    {
        var found = await db.Applications.Include(a => a.Events).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (found is null || !scope.CanRead || !CaseScope.Statuses.Contains(found.Status)) return null;
        if (scope.Covers(found)) return found;
        var departments = scope.Departments.ToList();
        var consulted = await db.ApprovalSteps.AnyAsync(s => departments.Contains(s.Department) && db.Decisions.Any(d => d.Id == s.DecisionId && d.ApplicationId == id), ct);
        return consulted ? found : null;
    }

    /// <summary>Cases on a route whose current step this staff member may decide, in their own department or one consulted.</summary>
    private IQueryable<Application> AwaitingMe(CaseScope scope)
    {
        var departments = scope.Departments.ToList();
        var roles = (scope.ApproveAs ?? []).ToList();
        var me = scope.StaffId;
        var steps = db.ApprovalSteps.Where(s => s.Status == StepStatus.Pending && departments.Contains(s.Department)
            && (roles.Contains(s.Role) || (s.SubstituteRole != null && roles.Contains(s.SubstituteRole)))
            && !db.ApprovalSteps.Any(o => o.DecisionId == s.DecisionId && ((o.Status == StepStatus.Pending && o.Order < s.Order) || o.DecidedBy == me)));
        var decisions = db.Decisions.Where(d => d.Status == DecisionStatus.Pending && d.ProposedBy != me && steps.Any(s => s.DecisionId == d.Id));
        return db.Applications.AsNoTracking()
            .Where(a => a.Status == ApplicationStatus.DecisionProposed && decisions.Any(d => d.ApplicationId == a.Id));
    }

    public string DueState(Application a)
    {
        if (a.DueOn is not { } due || !CaseScope.Open.Contains(a.Status)) return "";
        var today = calendar.Today;
        return due < today ? "overdue" : due <= today.AddDays(options.Value.NearDueDays) ? "soon" : "";
    }

    public async Task<CaseError> MoveAsync(Application application, CaseScope scope, string? to, string? comment, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!scope.CanWorkOn(application) || !user.IsInRole(StaffRoles.Caseworker)) return CaseError.ReadOnly;
        if (to is null || !StaffMoves.Contains(to)) return CaseError.Invalid;
        // A case on its approval route leaves it only through the route's own decisions.
        if (!ApplicationStatus.CanMove(application.Status, to) || application.Status == ApplicationStatus.DecisionProposed) return CaseError.NotAllowed;
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (to == ApplicationStatus.Returned && comment is null) return CaseError.CommentRequired;
        if (comment?.Length > 2000) return CaseError.Invalid;
        var actor = AuditLog.ActorOf(user);
        if (to == ApplicationStatus.InReview && application.AssignedTo is null) application.AssignedTo = user.StaffId();
        await transitions.MoveAsync(application, to, actor, comment, ct);
        return await SaveAsync(ct);
    }

    /// <summary>Claims the case for oneself, or assigns it to another caseworker who sees it.</summary>
    public async Task<CaseError> AssignAsync(Application application, CaseScope scope, Guid? to, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!scope.CanWorkOn(application)) return CaseError.ReadOnly;
        if (to is { } staffId && staffId != user.StaffId())
        {
            var member = await db.StaffMembers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == staffId && s.Active, ct);
            if (member is null || !CaseScope.Of(AccountsSetup.StaffPrincipal(member, "check"), options.Value).Covers(application)) return CaseError.Invalid;
        }
        application.AssignedTo = to;
        application.Revision++;
        db.Audit(clock, AuditLog.ActorOf(user), "case.assigned", $"application:{application.Id}", new { to });
        return await SaveAsync(ct);
    }

    public async Task<CaseError> NoteAsync(Application application, CaseScope scope, string? text, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!scope.CanWorkOn(application)) return CaseError.ReadOnly;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 2000) return CaseError.Invalid;
        db.Add(new CaseNote { ApplicationId = application.Id, StaffId = user.StaffId()!.Value, StaffName = user.Identity?.Name ?? "", At = clock.GetUtcNow().UtcDateTime, Text = text.Trim() });
        db.Audit(clock, AuditLog.ActorOf(user), "case.note", $"application:{application.Id}");
        return await SaveAsync(ct);
    }

    /// <summary>Routine work on many cases at once: claim them, or start reviewing them. Cases that cannot move are left as they are.</summary>
    public async Task<int> BulkAsync(IReadOnlyList<Guid> ids, CaseScope scope, string? action, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!scope.CanWork || ids.Count == 0 || ids.Count > 200) return 0;
        var done = 0;
        foreach (var id in ids.Distinct())
        {
            if (await FindAsync(id, scope, ct) is not { } application) continue;
            var result = action switch
            {
                "claim" when application.AssignedTo is null => await AssignAsync(application, scope, user.StaffId(), user, ct),
                "review" when ApplicationStatus.CanMove(application.Status, ApplicationStatus.InReview) => await MoveAsync(application, scope, ApplicationStatus.InReview, null, user, ct),
                _ => CaseError.NotAllowed,
            };
            if (result == CaseError.None) done++;
            db.ChangeTracker.Clear();
        }
        return done;
    }

    /// <summary>Opening a case shows a resident's personal data: it is audit-logged like the staff resident view.</summary>
    public async Task AuditReadAsync(Application application, ClaimsPrincipal user, string what, CancellationToken ct)
    {
        db.Audit(clock, AuditLog.ActorOf(user), what, $"application:{application.Id}");
        await db.SaveChangesAsync(ct);
    }

    private async Task<CaseError> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return CaseError.None;
        }
        catch (DbUpdateConcurrencyException)
        {
            return CaseError.Conflict;
        }
    }
}
