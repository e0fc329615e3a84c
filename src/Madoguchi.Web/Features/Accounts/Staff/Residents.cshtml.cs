using Madoguchi.Web.Platform.Text;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Accounts.Staff;

/// <summary>
/// Counter staff identify a resident by name and date of birth together (never a browsable list). Only the
/// matches' names are shown here; opening one is the personal-data read that the audit log records.
/// </summary>
[Authorize(Policy = Policies.ResidentReader)]
public sealed class ResidentsModel(AppDb db, Ui t) : PageModel
{
    public sealed record Match(Guid Id, string Name, string Ward);

    [BindProperty(SupportsGet = true)]
    public string? Name { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? BirthDate { get; set; }

    public IReadOnlyList<Match>? Matches { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Name is null && BirthDate is null)
        {
            return;
        }
        var name = JapaneseText.Clean(Name).Replace(" ", "", StringComparison.Ordinal);
        if (name.Length == 0) ModelState.AddModelError(nameof(Name), t["validation.required"]);
        if (BirthDate is null) ModelState.AddModelError(nameof(BirthDate), t["validation.birthdate"]);
        if (!ModelState.IsValid)
        {
            return;
        }
        // Names are compared without spaces and across katakana readings, so 山田太郎, 山田 太郎 and ヤマダ タロウ all find the same person.
        var candidates = await db.Residents.AsNoTracking().Where(r => r.BirthDate == BirthDate)
            .Select(r => new { r.Id, r.Name, r.NameKana, r.Ward }).ToListAsync(ct);
        var folded = JapaneseText.Fold(name);
        Matches = [.. candidates
            .Where(r => JapaneseText.Fold(r.Name).Replace(" ", "", StringComparison.Ordinal) == folded
                        || JapaneseText.Fold(r.NameKana).Replace(" ", "", StringComparison.Ordinal) == folded)
            .Select(r => new Match(r.Id, r.Name, r.Ward))];
    }
}
