using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Approvals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Madoguchi.Web.Features.Casework;

public static class CaseworkSetup
{
    public static IHostApplicationBuilder AddCasework(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<CaseworkOptions>(builder.Configuration.GetSection("Casework"));
        builder.Services.AddScoped<Cases>();
        return builder;
    }

    public static WebApplication MapCasework(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/staff").WithTags("Casework").RequireAuthorization(Policies.StaffApi);
        api.MapGet("/cases", ListAsync);
        api.MapGet("/cases/{id:guid}", GetAsync);
        api.MapPost("/cases/{id:guid}/transitions", TransitionAsync).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/approvals/{stepId:guid}/decision", DecideAsync).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public sealed record CaseView(
        Guid Id, string Reference, string Procedure, string Department, string? Office, string Channel, string Status,
        DateTime? SubmittedAt, DateOnly? DueOn, string DueState, Guid? AssignedTo);

    public sealed record StepView(Guid Id, int Order, string Label, string Role, string Department, string Status, string? DecidedBy, DateTime? DecidedAt, string? Comment, bool Substitute, bool Delegated);

    public sealed record DecisionView(Guid Id, string Outcome, int? AmountYen, string Text, string Route, string Status, string DocumentHash, string? NoticeNumber, IReadOnlyList<StepView> Steps);

    public sealed record CaseDetailView(CaseView Case, string Form, int FormVersion, JsonObject Data, IReadOnlyList<ApplicationsSetup.EventView> Timeline, DecisionView? Decision);

    /// <summary>A page of cases; <c>Total</c> counts up to 1,000 and <c>TotalCapped</c> says there are more.</summary>
    public sealed record CaseList(int Total, bool TotalCapped, int Page, int PageSize, IReadOnlyList<CaseView> Cases);

    public sealed record TransitionRequest(string? To, string? Comment, string? Outcome, int? AmountYen);

    public sealed record DecisionRequest(string? Decision, string? Comment, string? DocumentHash, bool Substitute = false);

    public static CaseView View(Application a, Cases cases) =>
        new(a.Id, a.Reference, a.ProcedureCode, a.Department, a.Office, a.Channel, a.Status, a.SubmittedAt, a.DueOn, cases.DueState(a), a.AssignedTo);

    public static DecisionView View(Decision d) =>
        new(d.Id, d.Outcome, d.AmountYen, d.Text, d.Route, d.Status, d.DocumentHash, d.NoticeNumber,
            [.. d.Steps.OrderBy(s => s.Order).ThenBy(s => s.Label).Select(s => new StepView(s.Id, s.Order, s.Label, s.Role, s.Department, s.Status, s.DecidedByName, s.DecidedAt, s.Comment, s.Substitute, s.Delegated))]);

    private static async Task<Results<Ok<CaseList>, ForbidHttpResult>> ListAsync(
        HttpContext http, Cases cases, string? status, string? department, string? procedure, string? channel, string? office, string? due, string? assigned, int? page, CancellationToken ct)
    {
        var scope = cases.ScopeOf(http.User);
        if (!scope.CanRead) return TypedResults.Forbid();
        var filter = new InboxFilter(status, procedure, channel, office, department, due, assigned, Math.Max(1, page ?? 1));
        var (found, total) = await cases.PageAsync(scope, filter, ct);
        return TypedResults.Ok(new CaseList(Math.Min(total, InboxFilter.CountLimit), total > InboxFilter.CountLimit, filter.Page, InboxFilter.PageSize, [.. found.Select(a => View(a, cases))]));
    }

    private static async Task<Results<Ok<CaseDetailView>, NotFound>> GetAsync(Guid id, HttpContext http, Cases cases, Approvals.Approvals approvals, CancellationToken ct)
    {
        var scope = cases.ScopeOf(http.User);
        if (await cases.FindAsync(id, scope, ct) is not { } application) return TypedResults.NotFound();
        await cases.AuditReadAsync(application, http.User, "case.read", ct);
        return TypedResults.Ok(await DetailAsync(application, cases, approvals, ct));
    }

    private static async Task<CaseDetailView> DetailAsync(Application a, Cases cases, Approvals.Approvals approvals, CancellationToken ct) =>
        new(View(a, cases), a.FormSlug, a.FormVersion, a.Answers(),
            [.. a.Events.OrderBy(e => e.At).Select(e => new ApplicationsSetup.EventView(e.At, e.Status, e.Note))],
            await approvals.CurrentAsync(a.Id, ct) is { } d ? View(d) : null);

    /// <summary>Moves a case: in-review, returned (comment required), decision-proposed (outcome and comment as the decision text), completed.</summary>
    private static async Task<Results<Ok<CaseDetailView>, NotFound, ProblemHttpResult>> TransitionAsync(
        Guid id, TransitionRequest request, HttpContext http, Cases cases, Approvals.Approvals approvals, Ui t, CancellationToken ct)
    {
        var scope = cases.ScopeOf(http.User);
        if (await cases.FindAsync(id, scope, ct) is not { } application) return TypedResults.NotFound();
        if (request.To == ApplicationStatus.DecisionProposed)
        {
            if (!scope.CanWorkOn(application) || !http.User.IsInRole(StaffRoles.Caseworker)) return Problem(CaseError.ReadOnly, t);
            var (_, error) = await approvals.ProposeAsync(application, request.Outcome, request.AmountYen, request.Comment, http.User, ct);
            if (error != ApprovalError.None) return ApprovalProblem(error, t);
        }
        else if (await cases.MoveAsync(application, scope, request.To, request.Comment, http.User, ct) is var result && result != CaseError.None)
        {
            return Problem(result, t);
        }
        return TypedResults.Ok(await DetailAsync(application, cases, approvals, ct));
    }

    private static async Task<Results<Ok<DecisionView>, NotFound, ProblemHttpResult>> DecideAsync(
        Guid stepId, DecisionRequest request, HttpContext http, AppDb db, Cases cases, Approvals.Approvals approvals, Ui t, CancellationToken ct)
    {
        var decisionId = await db.ApprovalSteps.Where(s => s.Id == stepId).Select(s => (Guid?)s.DecisionId).SingleOrDefaultAsync(ct);
        var decision = decisionId is null ? null : await db.Decisions.Include(d => d.Steps).SingleAsync(d => d.Id == decisionId, ct);
        var scope = cases.ScopeOf(http.User);
        if (decision is null || await cases.FindAsync(decision.ApplicationId, scope, ct) is not { } application) return TypedResults.NotFound();
        var step = decision.Steps.Single(s => s.Id == stepId);
        var error = await approvals.DecideAsync(application, decision, step, request.Decision, request.Comment, request.DocumentHash, request.Substitute, http.User, ct);
        return error == ApprovalError.None ? TypedResults.Ok(View(decision)) : ApprovalProblem(error, t);
    }

    public static string ErrorKey(CaseError error) => "cases.error." + error.ToString().ToLowerInvariant();

    public static string ErrorKey(ApprovalError error) => "approvals.error." + error.ToString().ToLowerInvariant();

    private static ProblemHttpResult Problem(CaseError error, Ui t) => TypedResults.Problem(title: t[ErrorKey(error)], statusCode: error switch
    {
        CaseError.ReadOnly => StatusCodes.Status403Forbidden,
        CaseError.Conflict or CaseError.NotAllowed => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    });

    private static ProblemHttpResult ApprovalProblem(ApprovalError error, Ui t) => TypedResults.Problem(title: t[ErrorKey(error)], statusCode: error switch
    {
        ApprovalError.NotYours => StatusCodes.Status403Forbidden,
        ApprovalError.NotNow or ApprovalError.Stale or ApprovalError.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    });
}
