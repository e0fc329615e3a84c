using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Catalog;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Casework;

/// <summary>The back-office inbox: the cases the staff member's departments (or the processing center) handle, most urgent first.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class InboxModel(Cases cases, CatalogIndex index) : PageModel
{
    public CaseScope Scope { get; private set; } = null!;
    public InboxFilter Filter { get; private set; } = new();
    public List<Application> Found { get; private set; } = [];
    public int Total { get; private set; }
    public CatalogSnapshot Catalog { get; private set; } = null!;
    public Cases Service => cases;

    public async Task<IActionResult> OnGetAsync(string? status, string? procedure, string? channel, string? office, string? due, string? assigned, int? p, CancellationToken ct)
    {
        Scope = cases.ScopeOf(User);
        if (!Scope.CanRead) return Forbid();
        Catalog = await index.GetAsync(ct);
        Filter = new InboxFilter(status, procedure, channel, office, null, due, assigned == "me" ? User.StaffId()?.ToString() : assigned, Math.Max(1, p ?? 1));
        (Found, Total) = await cases.PageAsync(Scope, Filter, ct);
        return Page();
    }

    /// <summary>Routine cases in one go: claim them all, or start reviewing them all.</summary>
    public async Task<IActionResult> OnPostBulkAsync(List<Guid> selected, string? action, CancellationToken ct)
    {
        var scope = cases.ScopeOf(User);
        if (!scope.CanWork) return Forbid();
        var done = await cases.BulkAsync(selected, scope, action, User, ct);
        return Redirect($"/staff/cases?bulk={done}");
    }
}
