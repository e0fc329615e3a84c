using Madoguchi.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Catalog.Staff;

/// <summary>The synonym list: one line per entry, 「ひっこし, 引っ越し => 転入届, 転出届, 転居届」.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class SynonymsModel(AppDb db, CatalogIndex index, TimeProvider clock, Ui t) : PageModel
{
    [BindProperty]
    public string? Text { get; set; }

    public IReadOnlyList<CatalogDocument> History { get; private set; } = [];
    public bool HasDraft => History.Any(d => d.State == DocumentState.Draft);

    public static string Format(SynonymsContent content) =>
        Lines.Join(content.Entries.Select(e => $"{string.Join(", ", e.Words)} => {string.Join(", ", e.Terms)}"));

    /// <summary>Parses the text; null and an error per bad line when a line has no 「=>」 or an empty side.</summary>
    public static SynonymsContent? Parse(string? text, List<string> errors)
    {
        var entries = new List<SynonymEntry>();
        foreach (var (line, n) in Lines.Split(text).Select((l, n) => (l, n + 1)))
        {
            var sides = line.Split("=>", 2);
            var words = sides.Length == 2 ? Lines.Words(sides[0]) : [];
            var terms = sides.Length == 2 ? Lines.Words(sides[1]) : [];
            if (words.Length == 0 || terms.Length == 0)
            {
                errors.Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }
            entries.Add(new SynonymEntry(words, terms));
        }
        return errors.Count == 0 ? new SynonymsContent(entries) : null;
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var current = History.FirstOrDefault(d => d.State == DocumentState.Draft) ?? History.FirstOrDefault(d => d.State == DocumentState.Published);
        Text = current is null ? "" : Format(current.Read<SynonymsContent>());
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var errors = new List<string>();
        if (Parse(Text, errors) is not { } content)
        {
            ModelState.AddModelError(nameof(Text), t.Format("catalog.synonyms.error", string.Join(", ", errors)));
            await LoadAsync(ct);
            return Page();
        }
        await CatalogEditing.SaveDraftAsync(db, clock, AuditLog.ActorOf(User), CatalogDocument.Synonyms, CatalogDocument.SynonymsKey, content, ct);
        return Redirect("/staff/catalog/synonyms?saved=draft");
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken ct)
    {
        var published = await CatalogEditing.PublishAsync(db, clock, index, AuditLog.ActorOf(User), CatalogDocument.Synonyms, CatalogDocument.SynonymsKey, ct);
        return published is null ? NotFound() : Redirect("/staff/catalog/synonyms?saved=published");
    }

    public async Task<IActionResult> OnPostRestoreAsync(int version, CancellationToken ct)
    {
        var restored = await CatalogEditing.RestoreAsync(db, clock, AuditLog.ActorOf(User), CatalogDocument.Synonyms, CatalogDocument.SynonymsKey, version, ct);
        return restored ? Redirect("/staff/catalog/synonyms?saved=draft") : NotFound();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        History = await CatalogEditing.HistoryAsync(db, CatalogDocument.Synonyms, CatalogDocument.SynonymsKey, ct);
}
