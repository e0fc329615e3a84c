using Madoguchi.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Catalog.Staff;

/// <summary>Edit one procedure: save a draft, preview it, publish it; every version stays in the history.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class ProcedureEditModel(AppDb db, CatalogIndex index, TimeProvider clock, Ui t) : PageModel
{
    [BindProperty]
    public ProcedureInput Input { get; set; } = new();

    public string Slug { get; private set; } = "";
    public CatalogSnapshot Catalog { get; private set; } = null!;
    public IReadOnlyList<CatalogDocument> History { get; private set; } = [];
    public bool HasDraft => History.Any(d => d.State == DocumentState.Draft);
    public bool IsNew => History.Count == 0;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (slug == "new")
        {
            var requested = Request.Query["slug"].ToString().Trim().ToLowerInvariant();
            return ProcedureValidation.IsSlug(requested) && requested != "new" ? Redirect($"/staff/catalog/procedures/{requested}") : Redirect("/staff/catalog");
        }
        if (!ProcedureValidation.IsSlug(slug))
        {
            return NotFound();
        }
        await LoadAsync(slug, ct);
        var current = History.FirstOrDefault(d => d.State == DocumentState.Draft) ?? History.FirstOrDefault(d => d.State == DocumentState.Published);
        Input = current is null ? new ProcedureInput { Code = slug } : ProcedureInput.From(current.Read<ProcedureContent>());
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string slug, CancellationToken ct)
    {
        if (!ProcedureValidation.IsSlug(slug) || slug == "new")
        {
            return NotFound();
        }
        await LoadAsync(slug, ct);
        var content = Input.ToContent();
        foreach (var (field, messages) in ProcedureValidation.Validate(slug, content, Catalog, t))
        {
            var input = field switch { "name" => "NameJa", "summary" => "SummaryJa", "deadline" => "DeadlineDays", _ => char.ToUpperInvariant(field[0]) + field[1..] };
            ModelState.AddModelError($"Input.{input}", messages[0]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await CatalogEditing.SaveDraftAsync(db, clock, AuditLog.ActorOf(User), CatalogDocument.Procedure, slug, content, ct);
        return Redirect($"/staff/catalog/procedures/{slug}?saved=draft");
    }

    public async Task<IActionResult> OnPostPublishAsync(string slug, CancellationToken ct)
    {
        var published = await CatalogEditing.PublishAsync(db, clock, index, AuditLog.ActorOf(User), CatalogDocument.Procedure, slug, ct);
        return published is null ? NotFound() : Redirect($"/staff/catalog/procedures/{slug}?saved=published");
    }

    /// <summary>Starts a draft from an older version (the draft in progress, if any, is replaced).</summary>
    public async Task<IActionResult> OnPostRestoreAsync(string slug, int version, CancellationToken ct)
    {
        var restored = await CatalogEditing.RestoreAsync(db, clock, AuditLog.ActorOf(User), CatalogDocument.Procedure, slug, version, ct);
        return restored ? Redirect($"/staff/catalog/procedures/{slug}?saved=draft") : NotFound();
    }

    private async Task LoadAsync(string slug, CancellationToken ct)
    {
        Slug = slug;
        Catalog = await index.GetAsync(ct);
        History = await CatalogEditing.HistoryAsync(db, CatalogDocument.Procedure, slug, ct);
    }
}
