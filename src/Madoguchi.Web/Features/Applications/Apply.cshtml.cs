using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Forms;

namespace Madoguchi.Web.Features.Applications;

/// <summary>Where an online application starts from a procedure page: what it needs, then a pre-filled draft.</summary>
public sealed class ApplyModel(CatalogIndex index, Filing filing, AppDb db) : PageModel
{
    public CatalogEntry Entry { get; private set; } = null!;
    public PublishedForm? Form { get; private set; }
    public Application? OpenDraft { get; private set; }
    public bool SignedIn => User.ResidentId() is not null;
    public bool NeedsCard => Form?.Definition.Assurance == "high" && User.ResidentAssurance() != Assurance.High;

    /// <summary>Made once per page view, so a double click on 「はじめる」 starts one draft.</summary>
    [BindProperty]
    public string RequestKey { get; set; } = Guid.NewGuid().ToString("N");

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (!await LoadAsync(slug, ct)) return NotFound();
        if (User.ResidentId() is { } residentId)
        {
            OpenDraft = await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.ResidentId == residentId && a.ProcedureSlug == slug && a.Status == ApplicationStatus.Draft, ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        if (User.ResidentId() is not { } residentId)
        {
            return Challenge();
        }
        if (!await LoadAsync(slug, ct)) return NotFound();
        var key = RequestKey is { Length: > 0 and <= 64 } ? RequestKey : null;
        var (application, error) = await filing.StartAsync(residentId, User.ResidentAssurance(), slug, key, ct);
        return application is null
            ? error == StartError.Assurance ? Redirect($"/account/signin/card?returnUrl={Uri.EscapeDataString($"/apply/{slug}")}") : NotFound()
            : Redirect($"/applications/{application.Id}/edit");
    }

    private async Task<bool> LoadAsync(string slug, CancellationToken ct)
    {
        var catalog = await index.GetAsync(ct);
        if (!catalog.BySlug.TryGetValue(slug, out var entry)) return false;
        Entry = entry;
        Form = catalog.FormsByProcedure.GetValueOrDefault(entry.Content.Code);
        return true;
    }
}
