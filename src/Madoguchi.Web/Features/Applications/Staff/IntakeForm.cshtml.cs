using System.Security.Cryptography;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Applications.Staff;

/// <summary>
/// 書かない窓口, step 3 and 4: the clerk completes the filled forms in one combined form; the resident checks one
/// confirmation page and signs on the screen (or on the printed 確認票); the applications are received at the counter.
/// Paper applications typed in by staff take the same path, confirmed by the signature on the paper itself.
/// </summary>
[Authorize(Policy = Policies.Counter)]
public sealed class IntakeFormModel(AppDb db, Filing filing, CatalogIndex index, TimeProvider clock, Ui t) : PageModel
{
    public Guid BundleId { get; private set; }
    public CombinedForm Combined { get; private set; } = null!;
    public bool Confirming { get; private set; }
    public bool Done { get; private set; }

    [BindProperty] public string? Signature { get; set; }
    [BindProperty] public bool SignedOnPaper { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, bool confirm, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        Confirming = confirm && !Done;
        if (Confirming) Combined.AddErrors(ModelState, filing);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string? action, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        if (Done) return Page();
        var shown = Combined.InputNames();
        await Combined.SaveAsync(filing, Request.Form, action, ct);
        await LoadAsync(id, ct);
        if (action?.StartsWith("add:", StringComparison.Ordinal) == true || action?.StartsWith("remove:", StringComparison.Ordinal) == true) return Page();
        if (!Combined.InputNames().IsSubsetOf(shown) || Combined.AddErrors(ModelState, filing) > 0) return Page();
        return Redirect($"/staff/intake/{id}?confirm=true");
    }

    /// <summary>The resident's confirmation: a signature drawn on the screen, or the printed form signed by hand.</summary>
    public async Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        if (Done) return Page();
        Confirming = true;
        byte[]? signature = null;
        if (Signature is { Length: > 22 and < 400_000 } data && data.StartsWith("data:image/png;base64,", StringComparison.Ordinal))
        {
            try { signature = Convert.FromBase64String(data[22..]); } catch (FormatException) { signature = null; }
            if (signature is not null && AttachedFile.Sniff(signature) is not ("image/png", _)) signature = null;
        }
        if (signature is null && !SignedOnPaper)
        {
            ModelState.AddModelError(nameof(Signature), t["intake.error.signature"]);
            return Page();
        }
        if (Combined.AddErrors(ModelState, filing) > 0) return Page();
        if (signature is not null)
        {
            db.Attachments.Add(new AttachedFile
            {
                ApplicationId = Combined.Parts[0].Application.Id, FieldKey = "signature", FileName = "signature.png", ContentType = "image/png",
                Size = signature.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(signature)), Content = signature, CreatedAt = clock.GetUtcNow().UtcDateTime,
            });
        }
        var outcome = await filing.SubmitBundleAsync(id, [.. Combined.Parts.Select(p => (p.Application, p.Form))], null, AuditLog.ActorOf(User), ct);
        return outcome.Error == SubmitError.None ? Redirect($"/staff/intake/{id}") : Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var applications = await db.Applications.Include(a => a.Events).Where(a => a.BundleId == id && a.Channel != ApplicationChannel.Online)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(ct);
        // The intake belongs to the staff member who started it at the counter (or typed in the paper): nobody else opens it.
        var startedBy = applications.FirstOrDefault()?.Events.Where(e => e.Status == ApplicationStatus.Draft).Select(e => e.Actor).FirstOrDefault();
        if (startedBy is null || startedBy != AuditLog.ActorOf(User)) return NotFound();
        BundleId = id;
        Done = applications.All(a => a.Status != ApplicationStatus.Draft);
        Combined = await CombinedForm.LoadAsync(filing, index, applications, t.Language, ct);
        return null;
    }
}
