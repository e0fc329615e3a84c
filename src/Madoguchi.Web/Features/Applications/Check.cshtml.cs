using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Forms;
using Madoguchi.Web.Features.Payments;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Applications;

/// <summary>Check your answers, declare, and submit — or pay and submit in one step when there is a fee.</summary>
[Authorize(Policy = Policies.Resident)]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SubmissionLimit.Name)]
public sealed class CheckModel(Filing filing, PaymentGateway payments, AppDb db, TimeProvider clock, Ui t) : PageModel
{
    public Application Application { get; private set; } = null!;
    public FormDefinition Form { get; private set; } = null!;
    public JsonObject Answers { get; private set; } = [];
    public IReadOnlyList<FormPage> Pages { get; private set; } = [];
    /// <summary>What must be fixed first, with the page to fix it on.</summary>
    public List<(FieldError Error, string Page)> Problems { get; } = [];
    public int Fee { get; private set; }

    [BindProperty]
    public string? Declaration { get; set; }

    [BindProperty]
    public bool RememberBank { get; set; }

    public bool HasBank => Form.AllFields.Any(f => f.Bind == "bank" && Answers[f.Key] is not null);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } other) return other;
        if (Problems.Count > 0) return Page();
        if (Form.Declaration is not null && Declaration != "yes")
        {
            ModelState.AddModelError(nameof(Declaration), t["form.error.declaration.check"]);
            return Page();
        }
        var outcome = await filing.SubmitAsync(Application, Form, PaymentGateway.ProviderName, ct);
        switch (outcome.Error)
        {
            case SubmitError.Invalid:
                return Page();
            case SubmitError.NotEditable or SubmitError.Conflict:
                // Already submitted by an earlier click or another tab: show where it stands.
                return Redirect($"/applications/{id}");
        }
        if (RememberBank)
        {
            await RememberBankAsync(ct);
        }
        if (outcome.Payment is { } payment)
        {
            var next = await payments.StartAsync(payment, $"{t.BaseUrl}/applications/{id}/paid", ct);
            return Redirect(next ?? $"/applications/{id}?payment=unavailable");
        }
        return Redirect($"/applications/{id}?submitted=1");
    }

    private async Task RememberBankAsync(CancellationToken ct)
    {
        var answers = Application.Answers();
        if (Application.ResidentId is not { } residentId || Form.AllFields.FirstOrDefault(f => f.Bind == "bank" && answers[f.Key] is JsonObject) is not { } field)
        {
            return;
        }
        var saved = await db.SavedBankAccounts.SingleOrDefaultAsync(b => b.ResidentId == residentId, ct);
        var data = answers[field.Key]!.ToJsonString();
        if (saved is null)
        {
            db.SavedBankAccounts.Add(new SavedBankAccount { ResidentId = residentId, Data = data, UpdatedAt = clock.GetUtcNow().UtcDateTime });
        }
        else
        {
            saved.Data = data;
            saved.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await filing.OwnedAsync(id, User.ResidentId(), ct) is not { } application) return NotFound();
        Application = application;
        if (!ApplicationStatus.Editable(application.Status)) return Redirect($"/applications/{id}");
        Form = await filing.FormAsync(application, ct) ?? throw new InvalidOperationException("Form version missing.");
        Answers = application.Answers();
        Pages = [.. FormAnswers.VisiblePages(Form, Answers)];
        var (clean, errors) = filing.Check(Form, Answers);
        foreach (var error in errors)
        {
            var key = error.Path.Split('.')[0];
            var page = Pages.FirstOrDefault(p => p.Fields.Any(f => f.Key == key)) ?? Pages[0];
            Problems.Add((error, page.Key));
        }
        Fee = Filing.Fee(Form, clean);
        return null;
    }
}
