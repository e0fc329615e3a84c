using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Guide;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Catalog.Staff;

/// <summary>Edit a life event's questions and rules: draft, preview (the questions as residents see them), publish, history.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class LifeEventEditModel(AppDb db, CatalogIndex index, TimeProvider clock, Ui t) : PageModel
{
    [BindProperty]
    public LifeEventInput Input { get; set; } = new();

    public string Id { get; private set; } = "";
    public IReadOnlyList<CatalogDocument> History { get; private set; } = [];
    public bool HasDraft => History.Any(d => d.State == DocumentState.Draft);
    /// <summary>The draft, or a chosen version, for the preview at the bottom of the page.</summary>
    public LifeEventContent? Preview { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, int? version, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        var current = History.FirstOrDefault(d => d.State == DocumentState.Draft) ?? History.FirstOrDefault(d => d.State == DocumentState.Published);
        if (current is null)
        {
            return NotFound();
        }
        Input = LifeEventInput.From(current.Read<LifeEventContent>());
        Preview = (History.FirstOrDefault(d => d.Version == version) ?? current).Read<LifeEventContent>();
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        if (History.Count == 0)
        {
            return NotFound();
        }
        var problems = new Dictionary<string, string>();
        var content = Input.ToContent(await index.GetAsync(ct), t, problems);
        if (content is null)
        {
            foreach (var (key, message) in problems)
            {
                ModelState.AddModelError(key, message);
            }
            Input.Questions.Add(new LifeEventInput.QuestionInput());
            return Page();
        }
        await CatalogEditing.SaveDraftAsync(db, clock, AuditLog.ActorOf(User), CatalogDocument.LifeEvent, id, content, ct);
        return Redirect($"/staff/catalog/life-events/{id}?saved=draft");
    }

    public async Task<IActionResult> OnPostPublishAsync(string id, CancellationToken ct)
    {
        var published = await CatalogEditing.PublishAsync(db, clock, index, AuditLog.ActorOf(User), CatalogDocument.LifeEvent, id, ct);
        return published is null ? NotFound() : Redirect($"/staff/catalog/life-events/{id}?saved=published");
    }

    public async Task<IActionResult> OnPostRestoreAsync(string id, int version, CancellationToken ct)
    {
        var restored = await CatalogEditing.RestoreAsync(db, clock, AuditLog.ActorOf(User), CatalogDocument.LifeEvent, id, version, ct);
        return restored ? Redirect($"/staff/catalog/life-events/{id}?saved=draft") : NotFound();
    }

    private async Task LoadAsync(string id, CancellationToken ct)
    {
        Id = id;
        History = await CatalogEditing.HistoryAsync(db, CatalogDocument.LifeEvent, id, ct);
    }
}
