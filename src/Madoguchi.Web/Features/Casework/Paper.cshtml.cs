using System.Globalization;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Catalog;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Casework;

/// <summary>
/// Registers a paper application (郵送・窓口の紙の申請書) into the back office: staff choose the procedure, find the
/// resident when they are on file, and type the answers into the same form residents use online.
/// </summary>
[Authorize(Policy = Policies.Counter)]
public sealed class PaperModel(Filing filing, CatalogIndex index, AppDb db, Ui t) : PageModel
{
    public List<CatalogEntry> Procedures { get; private set; } = [];

    [BindProperty] public string? Procedure { get; set; }
    [BindProperty] public string? Kana { get; set; }
    [BindProperty] public string? BirthDate { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var catalog = await LoadAsync(ct);
        if (Procedure is null || !catalog.BySlug.TryGetValue(Procedure, out var entry) || !catalog.FormsByProcedure.TryGetValue(entry.Content.Code, out var form))
        {
            ModelState.AddModelError(nameof(Procedure), t["paper.error.procedure"]);
            return Page();
        }
        Resident? resident = null;
        if (Kana is { Length: > 0 } || BirthDate is { Length: > 0 })
        {
            var kana = Platform.Text.JapaneseText.ToKatakana(Kana).Replace(" ", "", StringComparison.Ordinal);
            if (!DateOnly.TryParseExact(BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) || kana.Length == 0)
            {
                ModelState.AddModelError(nameof(Kana), t["intake.error.search"]);
                return Page();
            }
            var matches = (await db.Residents.Include(r => r.Household).Where(r => r.BirthDate == birth).ToListAsync(ct))
                .Where(r => r.NameKana.Replace(" ", "", StringComparison.Ordinal) == kana).ToList();
            if (matches.Count != 1)
            {
                ModelState.AddModelError(nameof(Kana), t["intake.error.none"]);
                return Page();
            }
            resident = matches[0];
        }
        var bundle = await filing.StartPaperAsync(resident, form, entry, AuditLog.ActorOf(User), ct);
        return Redirect($"/staff/intake/{bundle}");
    }

    private async Task<CatalogSnapshot> LoadAsync(CancellationToken ct)
    {
        var catalog = await index.GetAsync(ct);
        Procedures = [.. catalog.Procedures.Where(p => catalog.FormsByProcedure.ContainsKey(p.Content.Code)).OrderBy(p => p.Content.Code).ThenBy(p => p.Content.Office)];
        return catalog;
    }
}
