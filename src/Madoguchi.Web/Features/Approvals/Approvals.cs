using System.Security.Claims;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Guide;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Approvals;

public enum ApprovalError { None, NotFound, NotYours, NotNow, Stale, CommentRequired, Invalid, Conflict }

/// <summary>
/// Electronic approval (電子決裁): a caseworker proposes a decision; it travels along the procedure's route template —
/// serial steps, parallel consultation, delegated authority ending the route early (専決), substitutes for absent
/// approvers (代決) — and on the last approval the case is approved or rejected with a notice number.
/// </summary>
public sealed class Approvals(
    AppDb db, TimeProvider clock, CityCalendar calendar, Transitions transitions, CatalogIndex index, IOptions<ApprovalOptions> options, IOptions<CatalogOptions> catalogOptions)
{
    public static readonly IReadOnlyList<string> Decisions = ["approve", "reject", "sendBack"];

    public Task<Decision?> CurrentAsync(Guid applicationId, CancellationToken ct) =>
        db.Decisions.Include(d => d.Steps).Where(d => d.ApplicationId == applicationId)
            .OrderByDescending(d => d.ProposedAt).FirstOrDefaultAsync(ct);

    /// <summary>起案: the case goes to its route. Only from review, by a caseworker of the case.</summary>
    public async Task<(Decision? Decision, ApprovalError Error)> ProposeAsync(Application application, string? outcome, int? amountYen, string? text, ClaimsPrincipal user, CancellationToken ct)
    {
        if (application.Status is not (ApplicationStatus.InReview or ApplicationStatus.Corrected))
        {
            return (null, ApprovalError.NotNow);
        }
        if (outcome is null || !DecisionOutcome.All.Contains(outcome) || string.IsNullOrWhiteSpace(text) || text.Length > 4000 || amountYen is < 0)
        {
            return (null, ApprovalError.Invalid);
        }
        var route = options.Value.RouteFor(application.ProcedureCode);
        var decision = new Decision
        {
            ApplicationId = application.Id,
            Outcome = outcome,
            AmountYen = amountYen,
            Text = text.Trim(),
            Route = route.Name,
            ProposedBy = user.StaffId()!.Value,
            ProposedAt = clock.GetUtcNow().UtcDateTime,
            DocumentHash = Decision.HashOf(application, outcome, amountYen, text.Trim()),
        };
        decision.Steps.AddRange(route.Steps.OrderBy(s => s.Order).Select(s => new ApprovalStep
        {
            DecisionId = decision.Id,
            Order = s.Order,
            Label = s.Label,
            Role = s.Role,
            Department = s.Department ?? application.Department,
            SubstituteRole = s.SubstituteRole,
            DelegatedWhen = s.DelegatedWhen,
            DelegatedUpToYen = s.DelegatedUpToYen,
        }));
        db.Add(decision);
        var actor = AuditLog.ActorOf(user);
        await transitions.MoveAsync(application, ApplicationStatus.DecisionProposed, actor, null, ct);
        db.Audit(clock, actor, "decision.proposed", $"application:{application.Id}", new { decision.Id, outcome, amountYen, decision.DocumentHash, route = route.Name });
        return await SaveAsync(ct) ? (decision, ApprovalError.None) : (null, ApprovalError.Conflict);
    }

    /// <summary>
    /// The proposer changes the document while it is on its route: the new hash no longer matches what earlier approvers
    /// approved, so their steps are reopened and they decide again on what the document now says.
    /// </summary>
    public async Task<ApprovalError> ReviseAsync(Application application, Decision decision, int? amountYen, string? text, ClaimsPrincipal user, CancellationToken ct)
    {
        if (decision.Status != DecisionStatus.Pending || application.Status != ApplicationStatus.DecisionProposed) return ApprovalError.NotNow;
        if (decision.ProposedBy != user.StaffId()) return ApprovalError.NotYours;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 4000 || amountYen is < 0) return ApprovalError.Invalid;
        decision.Text = text.Trim();
        decision.AmountYen = amountYen;
        decision.DocumentHash = Decision.HashOf(application, decision.Outcome, amountYen, decision.Text);
        decision.Revision++;
        var reopened = 0;
        foreach (var step in decision.Steps.Where(s => s.Status == StepStatus.Approved && s.DocumentHash != decision.DocumentHash))
        {
            step.Status = StepStatus.Pending;
            step.DecidedBy = null;
            step.DecidedByName = null;
            step.DecidedAt = null;
            step.Comment = null;
            step.Substitute = false;
            reopened++;
        }
        db.Audit(clock, AuditLog.ActorOf(user), "decision.revised", $"application:{application.Id}", new { decision.Id, decision.DocumentHash, reopened });
        return await SaveAsync(ct) ? ApprovalError.None : ApprovalError.Conflict;
    }

    /// <summary>The steps that can be decided now: the lowest order that still has pending steps.</summary>
    public static IReadOnlyList<ApprovalStep> Current(Decision decision)
    {
        if (decision.Status != DecisionStatus.Pending) return [];
        var pending = decision.Steps.Where(s => s.Status == StepStatus.Pending).ToList();
        return pending.Count == 0 ? [] : [.. pending.Where(s => s.Order == pending.Min(p => p.Order))];
    }

    /// <summary>
    /// Whether this user may decide the step now, and whether only as a substitute (代決). The proposer decides no step,
    /// and nobody decides two steps of one decision.
    /// </summary>
    public static (bool Allowed, bool AsSubstitute) Who(Decision decision, ApprovalStep step, ClaimsPrincipal user)
    {
        var id = user.StaffId();
        if (id is null || !user.IsInRole(StaffRoles.Approver) || !Current(decision).Contains(step)) return (false, false);
        if (decision.ProposedBy == id || decision.Steps.Any(s => s != step && s.DecidedBy == id)) return (false, false);
        var inDepartment = user.FindAll("department").Any(c => c.Value == step.Department);
        if (!inDepartment) return (false, false);
        if (user.IsInRole(step.Role)) return (true, false);
        return step.SubstituteRole is { } substitute && user.IsInRole(substitute) ? (true, true) : (false, false);
    }

    public async Task<ApprovalError> DecideAsync(Application application, Decision decision, ApprovalStep step, string? choice, string? comment, string? seenHash, bool substitute, ClaimsPrincipal user, CancellationToken ct)
    {
        if (choice is null || !Decisions.Contains(choice)) return ApprovalError.Invalid;
        var (allowed, asSubstitute) = Who(decision, step, user);
        if (!allowed) return Current(decision).Contains(step) ? ApprovalError.NotYours : ApprovalError.NotNow;
        if (asSubstitute && !substitute) return ApprovalError.NotYours;
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if ((choice != "approve" || asSubstitute) && comment is null) return ApprovalError.CommentRequired;
        if (comment?.Length > 2000) return ApprovalError.Invalid;
        // What the approver saw must be what the document says now, and the document must still match the case as filed.
        var now = Decision.HashOf(application, decision.Outcome, decision.AmountYen, decision.Text);
        if ((seenHash is not null && seenHash != decision.DocumentHash) || now != decision.DocumentHash) return ApprovalError.Stale;

        var at = clock.GetUtcNow().UtcDateTime;
        step.DecidedBy = user.StaffId();
        step.DecidedByName = user.Identity?.Name;
        step.DecidedAt = at;
        step.Comment = comment;
        step.Substitute = asSubstitute;
        step.DocumentHash = decision.DocumentHash;
        decision.Revision++;
        var actor = AuditLog.ActorOf(user);
        switch (choice)
        {
            case "approve":
                step.Status = StepStatus.Approved;
                if (Delegates(step, decision, application))
                {
                    step.Delegated = true;
                    foreach (var rest in decision.Steps.Where(s => s.Status == StepStatus.Pending)) rest.Status = StepStatus.Skipped;
                }
                break;
            case "reject":
                step.Status = StepStatus.Rejected;
                decision.Status = DecisionStatus.Refused;
                break;
            default:
                step.Status = StepStatus.SentBack;
                decision.Status = DecisionStatus.SentBack;
                break;
        }
        db.Audit(clock, actor, "approval." + step.Status, $"application:{application.Id}",
            new { step = step.Id, step.Label, step.Substitute, step.Delegated, step.DocumentHash });

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (decision.Status != DecisionStatus.Pending)
        {
            decision.DecidedAt = at;
            foreach (var rest in decision.Steps.Where(s => s.Status == StepStatus.Pending)) rest.Status = StepStatus.Skipped;
            await transitions.MoveAsync(application, ApplicationStatus.InReview, actor, comment, ct);
        }
        else if (decision.Steps.All(s => s.Status is StepStatus.Approved or StepStatus.Skipped))
        {
            // Every step approved the same document: the decision stands and gets its notice number.
            decision.Status = DecisionStatus.Approved;
            decision.DecidedAt = at;
            decision.NoticeNumber = await NextNoticeNumberAsync(ct);
            await transitions.MoveAsync(application, decision.Outcome == DecisionOutcome.Approve ? ApplicationStatus.Approved : ApplicationStatus.Rejected, actor, null, ct);
        }
        if (!await SaveAsync(ct)) return ApprovalError.Conflict;
        await transaction.CommitAsync(ct);
        return ApprovalError.None;
    }

    /// <summary>The decision notice (決定通知書) of a decided case, as printed: null until the route has approved a decision.</summary>
    public async Task<NoticeView?> NoticeAsync(Application application, string language, CancellationToken ct)
    {
        var decision = await db.Decisions.AsNoTracking().Where(d => d.ApplicationId == application.Id && d.Status == DecisionStatus.Approved)
            .OrderByDescending(d => d.DecidedAt).FirstOrDefaultAsync(ct);
        if (decision?.NoticeNumber is null || decision.DecidedAt is not { } decided) return null;
        var resident = application.ResidentId is { } id ? await db.Residents.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        var catalog = await index.GetAsync(ct);
        var procedure = catalog.BySlug.TryGetValue(application.ProcedureSlug, out var entry) ? entry.Content.Name.In(language) : application.ProcedureCode;
        return new NoticeView(
            catalogOptions.Value.CityName, decision.NoticeNumber, CityCalendar.ToWareki(DateOnly.FromDateTime(calendar.ToLocal(decided))),
            resident?.Name ?? application.Answers()["name"]?.ToString() ?? "", resident is null ? "" : $"{resident.Prefecture}{resident.City}{resident.Ward}{resident.Town}{resident.Block} {resident.Building}".Trim(),
            procedure, application.Reference, decision.Outcome, decision.AmountYen, decision.Text, options.Value.Signatory, decision.DocumentHash);
    }

    internal static bool Delegates(ApprovalStep step, Decision decision, Application application)
    {
        if (step.DelegatedWhen is null && step.DelegatedUpToYen is null) return false;
        var facts = new Dictionary<string, string> { ["outcome"] = decision.Outcome, ["procedure"] = application.ProcedureCode, ["channel"] = application.Channel };
        return Condition.Evaluate(step.DelegatedWhen, facts) == Truth.True && (step.DelegatedUpToYen is not { } limit || (decision.AmountYen ?? 0) <= limit);
    }

    private async Task<string> NextNoticeNumberAsync(CancellationToken ct)
    {
        var year = calendar.Today.Year;
        var number = (await db.Database.SqlQuery<int>($"""
            INSERT INTO notice_sequences ("Year", "Last") VALUES ({year}, 1)
            ON CONFLICT ("Year") DO UPDATE SET "Last" = notice_sequences."Last" + 1
            RETURNING "Last" AS "Value"
            """).ToListAsync(ct)).Single();
        return NoticeNumbers.Format(options.Value, year, number);
    }

    private async Task<bool> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Two approvers or two tabs at once: the first stands, the second is told to look again.
            return false;
        }
    }
}

public sealed record NoticeView(
    string City, string Number, string Date, string ResidentName, string ResidentAddress, string Procedure, string Reference,
    string Outcome, int? AmountYen, string Text, string Signatory, string DocumentHash);

public static class ApprovalsSetup
{
    public static IHostApplicationBuilder AddApprovals(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ApprovalOptions>(builder.Configuration.GetSection("Approvals"));
        builder.Services.AddScoped<Approvals>();
        return builder;
    }
}
