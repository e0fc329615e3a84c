using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Payments;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Applications;

/// <summary>Several procedures from a guide plan in one combined form (see <see cref="CombinedForm"/>), filed together with one payment.</summary>
[Authorize(Policy = Policies.Resident)]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SubmissionLimit.Name)]
public sealed class BundleModel(Filing filing, PaymentGateway payments, CatalogIndex index, Ui t) : PageModel
{
    public Guid BundleId { get; private set; }
    public CombinedForm Combined { get; private set; } = null!;
    public bool Checking { get; private set; }

    [BindProperty]
    public string? Declaration { get; set; }

    public async Task<IActionResult> OnPostStartAsync(string[] procedures, string? requestKey, CancellationToken ct)
    {
        var id = await filing.StartBundleAsync(User.ResidentId()!.Value, User.ResidentAssurance(), procedures, requestKey is { Length: > 0 and <= 64 } ? requestKey : null, ct);
        return id is null ? Redirect("/applications") : Redirect($"/applications/bundle/{id}");
    }

    public async Task<IActionResult> OnGetAsync(Guid id, bool check, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } other) return other;
        Checking = check;
        if (check) Combined.AddErrors(ModelState, filing);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string? action, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } other) return other;
        var shown = Combined.InputNames();
        if (!await Combined.SaveAsync(filing, Request.Form, action, ct)) return Redirect("/applications");
        await LoadAsync(id, ct);
        if (action == "save") return Redirect("/applications?saved=1");
        if (action?.StartsWith("add:", StringComparison.Ordinal) == true || action?.StartsWith("remove:", StringComparison.Ordinal) == true) return Page();
        // New questions appeared (an answer made them relevant) or something must be fixed: stay on the page.
        if (!Combined.InputNames().IsSubsetOf(shown) || Combined.AddErrors(ModelState, filing) > 0) return Page();
        return Redirect($"/applications/bundle/{id}?check=true");
    }

    public async Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } other) return other;
        Checking = true;
        if (Combined.AddErrors(ModelState, filing) > 0) return Page();
        if (Declaration != "yes")
        {
            ModelState.AddModelError(nameof(Declaration), t["form.error.declaration.check"]);
            return Page();
        }
        var first = Combined.Parts[0].Application.Id;
        var outcome = await filing.SubmitBundleAsync(id, [.. Combined.Parts.Select(p => (p.Application, p.Form))], PaymentGateway.ProviderName, Filing.ResidentActor, ct);
        if (outcome.Error != SubmitError.None) return Redirect($"/applications?bundle={id}");
        if (outcome.Payment is { } payment)
        {
            var next = await payments.StartAsync(payment, $"{t.BaseUrl}/applications/{first}/paid", ct);
            return Redirect(next ?? $"/applications/{first}?payment=unavailable");
        }
        return Redirect($"/applications?bundle={id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var applications = await filing.BundleAsync(id, User.ResidentId(), ct);
        if (applications.Count == 0) return NotFound();
        if (applications.Any(a => a.Status != ApplicationStatus.Draft)) return Redirect($"/applications?bundle={id}");
        BundleId = id;
        Combined = await CombinedForm.LoadAsync(filing, index, applications, t.Language, ct);
        return null;
    }
}
