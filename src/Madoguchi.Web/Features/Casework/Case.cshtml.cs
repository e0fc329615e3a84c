using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Approvals;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Forms;
using Madoguchi.Web.Features.Payments;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Casework;

/// <summary>
/// One case as the back office works it: the application as the resident filled it (with its form version), attachments,
/// payment, history, internal notes, the cases of the same bundle, and the approval route with its steps.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class CaseModel(Cases cases, Approvals.Approvals approvals, Filing filing, AppDb db, CatalogIndex index, Ui t) : PageModel
{
    public Application Application { get; private set; } = null!;
    public CaseScope Scope { get; private set; } = null!;
    public FormDefinition Form { get; private set; } = null!;
    public string ProcedureName { get; private set; } = "";
    public Payment? Payment { get; private set; }
    public List<(Guid Id, string FileName, long Size)> Files { get; private set; } = [];
    public List<CaseNote> Notes { get; private set; } = [];
    public List<Application> Related { get; private set; } = [];
    public Decision? Decision { get; private set; }
    public string? AssignedName { get; private set; }
    /// <summary>Caseworkers of the case's department the case can be assigned to.</summary>
    public List<(Guid Id, string Name)> Colleagues { get; private set; } = [];
    public Cases Service => cases;

    /// <summary>The message of the last action's failure, from the redirect: only known keys are shown.</summary>
    public string? ErrorKey => Request.Query["error"].ToString() is var key
        && Enum.GetValues<CaseError>().Select(CaseworkSetup.ErrorKey).Concat(Enum.GetValues<ApprovalError>().Select(CaseworkSetup.ErrorKey)).Contains(key) ? key : null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        await cases.AuditReadAsync(Application, User, "case.read", ct);
        return Page();
    }

    /// <summary>An attachment, as a download only; who opened which file is in the audit log.</summary>
    public async Task<IActionResult> OnGetFileAsync(Guid id, Guid file, CancellationToken ct)
    {
        if (await cases.FindAsync(id, cases.ScopeOf(User), ct) is not { } application) return NotFound();
        var attachment = await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == file && a.ApplicationId == id, ct);
        if (attachment is null) return NotFound();
        await cases.AuditReadAsync(application, User, "case.file.read", ct);
        Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return File(attachment.Content, "application/octet-stream", attachment.FileName);
    }

    public async Task<IActionResult> OnGetNoticeAsync(Guid id, CancellationToken ct)
    {
        if (await cases.FindAsync(id, cases.ScopeOf(User), ct) is not { } application) return NotFound();
        return await approvals.NoticeAsync(application, Languages.Japanese, ct) is { } notice ? Partial("/Features/Approvals/_Notice.cshtml", notice) : NotFound();
    }

    public async Task<IActionResult> OnPostMoveAsync(Guid id, string? to, string? comment, CancellationToken ct)
    {
        if (await cases.FindAsync(id, cases.ScopeOf(User), ct) is not { } application) return NotFound();
        return Done(id, await cases.MoveAsync(application, cases.ScopeOf(User), to, comment, User, ct));
    }

    public async Task<IActionResult> OnPostAssignAsync(Guid id, string? to, CancellationToken ct)
    {
        if (await cases.FindAsync(id, cases.ScopeOf(User), ct) is not { } application) return NotFound();
        Guid? target = to == "me" ? User.StaffId() : Guid.TryParse(to, out var staff) ? staff : null;
        return Done(id, await cases.AssignAsync(application, cases.ScopeOf(User), target, User, ct));
    }

    public async Task<IActionResult> OnPostNoteAsync(Guid id, string? text, CancellationToken ct)
    {
        if (await cases.FindAsync(id, cases.ScopeOf(User), ct) is not { } application) return NotFound();
        return Done(id, await cases.NoteAsync(application, cases.ScopeOf(User), text, User, ct));
    }

    public async Task<IActionResult> OnPostProposeAsync(Guid id, string? outcome, string? amount, string? text, CancellationToken ct)
    {
        var scope = cases.ScopeOf(User);
        if (await cases.FindAsync(id, scope, ct) is not { } application) return NotFound();
        if (!scope.CanWorkOn(application) || !User.IsInRole(StaffRoles.Caseworker)) return Done(id, CaseError.ReadOnly);
        if (!TryAmount(amount, out var yen)) return Done(id, ApprovalError.Invalid);
        return Done(id, (await approvals.ProposeAsync(application, outcome, yen, text, User, ct)).Error);
    }

    public async Task<IActionResult> OnPostReviseAsync(Guid id, string? amount, string? text, CancellationToken ct)
    {
        if (await cases.FindAsync(id, cases.ScopeOf(User), ct) is not { } application) return NotFound();
        if (await approvals.CurrentAsync(id, ct) is not { } decision) return NotFound();
        if (!TryAmount(amount, out var yen)) return Done(id, ApprovalError.Invalid);
        return Done(id, await approvals.ReviseAsync(application, decision, yen, text, User, ct));
    }

    public async Task<IActionResult> OnPostDecideAsync(Guid id, Guid step, string? decision, string? comment, string? hash, bool substitute, CancellationToken ct)
    {
        if (await cases.FindAsync(id, cases.ScopeOf(User), ct) is not { } application) return NotFound();
        if (await approvals.CurrentAsync(id, ct) is not { } current || current.Steps.SingleOrDefault(s => s.Id == step) is not { } target) return NotFound();
        return Done(id, await approvals.DecideAsync(application, current, target, decision, comment, hash, substitute, User, ct));
    }

    private static bool TryAmount(string? amount, out int? yen)
    {
        yen = null;
        if (string.IsNullOrWhiteSpace(amount)) return true;
        var ok = int.TryParse(Platform.Text.JapaneseText.Clean(amount).Replace(",", "", StringComparison.Ordinal), out var value) && value >= 0;
        yen = ok ? value : null;
        return ok;
    }

    private RedirectResult Done(Guid id, CaseError error) =>
        Redirect(error == CaseError.None ? $"/staff/cases/{id}?done=1" : $"/staff/cases/{id}?error={CaseworkSetup.ErrorKey(error)}#result");

    private RedirectResult Done(Guid id, ApprovalError error) =>
        Redirect(error == ApprovalError.None ? $"/staff/cases/{id}?done=1" : $"/staff/cases/{id}?error={CaseworkSetup.ErrorKey(error)}#result");

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        Scope = cases.ScopeOf(User);
        if (await cases.FindAsync(id, Scope, ct) is not { } application) return NotFound();
        Application = application;
        Form = await filing.FormAsync(application, ct) ?? throw new InvalidOperationException("Form version missing.");
        var catalog = await index.GetAsync(ct);
        ProcedureName = catalog.BySlug.TryGetValue(application.ProcedureSlug, out var entry) ? entry.Content.Name.In(t.Language) : Form.Title.In(t.Language);
        Payment = await db.Payments.AsNoTracking().LatestForAsync(application, ct);
        Files = [.. (await db.Attachments.AsNoTracking().Where(a => a.ApplicationId == id).Select(a => new { a.Id, a.FileName, a.Size }).ToListAsync(ct)).Select(a => (a.Id, a.FileName, a.Size))];
        Notes = await db.CaseNotes.AsNoTracking().Where(n => n.ApplicationId == id).OrderBy(n => n.At).ToListAsync(ct);
        Related = application.BundleId is { } bundle
            ? await Scope.Filter(db.Applications.AsNoTracking()).Where(a => a.BundleId == bundle && a.Id != id).ToListAsync(ct)
            : [];
        Decision = await approvals.CurrentAsync(id, ct);
        AssignedName = application.AssignedTo is { } staffId ? await db.StaffMembers.Where(s => s.Id == staffId).Select(s => s.Name).SingleOrDefaultAsync(ct) : null;
        Colleagues = Scope.CanWorkOn(application)
            ? [.. (await db.StaffMembers.AsNoTracking().Where(s => s.Active && s.Departments.Contains(application.Department) && s.Roles.Contains(StaffRoles.Caseworker))
                .OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).Take(200).ToListAsync(ct)).Select(s => (s.Id, s.Name))]
            : [];
        return null;
    }
}
