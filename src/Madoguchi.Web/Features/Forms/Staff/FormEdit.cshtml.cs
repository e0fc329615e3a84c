using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Forms.Staff;

/// <summary>
/// The no-code designer: pages and questions added, moved, configured and removed with plain buttons (no script
/// needed); a draft is previewed exactly as residents will see it and published as a new version. Applications
/// already made keep the version they were filled in. Every save and publication is audit-logged.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class FormEditModel(AppDb db, CatalogIndex index, TimeProvider clock, Ui t) : PageModel
{
    [BindProperty]
    public FormInput Input { get; set; } = new();

    public string Slug { get; private set; } = "";
    public CatalogSnapshot Catalog { get; private set; } = null!;
    public IReadOnlyList<CatalogDocument> History { get; private set; } = [];
    public bool HasDraft => History.Any(d => d.State == DocumentState.Draft);

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (slug == "new")
        {
            var requested = Request.Query["slug"].ToString().Trim();
            return FormInput.IsKey(requested.Replace('-', '_')) ? Redirect($"/staff/forms/{requested}") : Redirect("/staff/forms");
        }
        if (!FormInput.IsKey(slug.Replace('-', '_'))) return NotFound();
        await LoadAsync(slug, ct);
        var current = History.FirstOrDefault(d => d.State == DocumentState.Draft) ?? History.FirstOrDefault(d => d.State == DocumentState.Published);
        Input = current is null
            ? new FormInput { Procedure = slug, Pages = [new() { Key = "page1", Title = "申請内容 | Application | もうしこみ", Fields = [new() { Key = "applicant", Type = FieldType.Person, Label = "申請者 | Applicant | もうしこむ ひと", Bind = "self" }] }] }
            : FormInput.From(current.Read<FormDefinition>());
        return Page();
    }

    /// <summary>Every button but publish posts the whole form here; the action says what to change before showing it again or saving.</summary>
    public async Task<IActionResult> OnPostAsync(string slug, string? action, CancellationToken ct)
    {
        if (!FormInput.IsKey(slug.Replace('-', '_'))) return NotFound();
        await LoadAsync(slug, ct);
        ModelState.Clear();
        var parts = (action ?? "save").Split(':');
        int At(int i) => int.TryParse(parts.ElementAtOrDefault(i), out var n) ? n : -1;
        var pages = Input.Pages;
        switch (parts[0])
        {
            case "add-page":
                pages.Add(new FormInput.PageInput { Key = $"page{pages.Count + 1}", Fields = [new()] });
                return Page();
            case "remove-page" when At(1) >= 0 && At(1) < pages.Count:
                pages.RemoveAt(At(1));
                return Page();
            case "add-field" when At(1) >= 0 && At(1) < pages.Count:
                pages[At(1)].Fields.Add(new FormInput.FieldInput { Key = $"q{pages.Sum(p => p.Fields.Count) + 1}" });
                return Page();
            case "remove-field" or "up" or "down" when At(1) >= 0 && At(1) < pages.Count && At(2) >= 0 && At(2) < pages[At(1)].Fields.Count:
                var fields = pages[At(1)].Fields;
                var i = At(2);
                var field = fields[i];
                fields.RemoveAt(i);
                if (parts[0] == "up") fields.Insert(Math.Max(0, i - 1), field);
                if (parts[0] == "down") fields.Insert(Math.Min(fields.Count, i + 1), field);
                return Page();
        }
        var (form, errors) = Input.ToDefinition(Catalog, t);
        foreach (var (key, message) in errors) ModelState.AddModelError(key, message);
        if (errors.Count > 0) return Page();
        await CatalogEditing.SaveDraftAsync(db, clock, AuditLog.ActorOf(User), CatalogDocument.Form, slug, form, ct);
        return Redirect($"/staff/forms/{slug}?saved=draft");
    }

    public async Task<IActionResult> OnPostPublishAsync(string slug, CancellationToken ct)
    {
        var published = await CatalogEditing.PublishAsync(db, clock, index, AuditLog.ActorOf(User), CatalogDocument.Form, slug, ct);
        return published is null ? NotFound() : Redirect($"/staff/forms/{slug}?saved=published");
    }

    public async Task<IActionResult> OnPostRestoreAsync(string slug, int version, CancellationToken ct) =>
        await CatalogEditing.RestoreAsync(db, clock, AuditLog.ActorOf(User), CatalogDocument.Form, slug, version, ct)
            ? Redirect($"/staff/forms/{slug}?saved=draft")
            : NotFound();

    private async Task LoadAsync(string slug, CancellationToken ct)
    {
        Slug = slug;
        Catalog = await index.GetAsync(ct);
        History = await CatalogEditing.HistoryAsync(db, CatalogDocument.Form, slug, ct);
    }
}
