using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Forms;
using Madoguchi.Web.Features.Payments;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Applications;

/// <summary>
/// Several procedures from a guide plan in one combined form: questions that mean the same in several forms (their
/// <see cref="FormField.Shared"/> key) are asked once and copied into each application; the rest is asked per procedure.
/// </summary>
[Authorize(Policy = Policies.Resident)]
public sealed class BundleModel(Filing filing, PaymentGateway payments, CatalogIndex index, Ui t) : PageModel
{
    public const string SharedPrefix = "f.shared.";

    public sealed record Part(int Index, Application Application, FormDefinition Form, string Name)
    {
        public string Prefix => $"f.{Index}.";
    }

    public Guid BundleId { get; private set; }
    public List<Part> Parts { get; } = [];
    /// <summary>The shared questions: the first form's field under the shared key, and the part it is read from.</summary>
    public List<(FormField Field, Part From, string SourceKey)> Shared { get; } = [];
    public bool Checking { get; private set; }
    public int Fee => Parts.Sum(p => Filing.Fee(p.Form, p.Application.Answers()));

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
        if (check)
        {
            AddErrors();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string? action, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } other) return other;
        var shown = Shared.Select(s => s.Field.Key).Concat(Parts.SelectMany(p => Fields(p).Select(f => p.Prefix + f.Key))).ToHashSet();
        var sharedAnswers = FormAnswers.Read(Shared.Select(s => s.Field), Request.Form, SharedPrefix);
        foreach (var part in Parts)
        {
            var posted = FormAnswers.Read(Fields(part), Request.Form, part.Prefix);
            foreach (var field in part.Form.AllFields.Where(f => f.Shared is not null && sharedAnswers.ContainsKey(f.Shared!)))
            {
                posted[field.Key] = sharedAnswers[field.Shared!]?.DeepClone();
            }
            if (!await filing.SaveAsync(part.Application, part.Form, posted, ct)) return Redirect("/applications");
        }
        await LoadAsync(id, ct);
        var now = Shared.Select(s => s.Field.Key).Concat(Parts.SelectMany(p => Fields(p).Select(f => p.Prefix + f.Key)));
        if (action == "save") return Redirect("/applications?saved=1");
        if (now.Any(k => !shown.Contains(k)) || AddErrors() > 0) return Page();
        return Redirect($"/applications/bundle/{id}?check=true");
    }

    public async Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } other) return other;
        Checking = true;
        if (AddErrors() > 0) return Page();
        if (Declaration != "yes")
        {
            ModelState.AddModelError(nameof(Declaration), t["form.error.declaration.check"]);
            return Page();
        }
        var outcome = await filing.SubmitBundleAsync(id, [.. Parts.Select(p => (p.Application, p.Form))], PaymentGateway.ProviderName, ct);
        if (outcome.Error != SubmitError.None) return Redirect($"/applications?bundle={id}");
        if (outcome.Payment is { } payment)
        {
            var next = await payments.StartAsync(payment, $"{t.BaseUrl}/applications/{Parts[0].Application.Id}/paid", ct);
            return Redirect(next ?? $"/applications/{Parts[0].Application.Id}?payment=unavailable");
        }
        return Redirect($"/applications?bundle={id}");
    }

    /// <summary>A part's own questions: those of its visible pages that no shared question already covers.</summary>
    public IEnumerable<FormField> Fields(Part part)
    {
        var answers = part.Application.Answers();
        return FormAnswers.VisiblePages(part.Form, answers).SelectMany(page => FormAnswers.VisibleFields(page, answers)).Where(f => f.Shared is null);
    }

    /// <summary>Every problem of every part, put on the input it belongs to; the count.</summary>
    private int AddErrors()
    {
        var count = 0;
        foreach (var part in Parts)
        {
            var (_, errors) = filing.Check(part.Form, part.Application.Answers());
            foreach (var error in errors)
            {
                var key = error.Path.Split('.')[0];
                var shared = part.Form.Field(key)?.Shared;
                var name = shared is not null ? SharedPrefix + shared + error.Path[key.Length..]
                    : error.Path == "eligibility" ? part.Prefix + "eligibility" : part.Prefix + error.Path;
                if (ModelState.TryGetValue(name, out var entry) && entry.Errors.Count > 0) continue;
                ModelState.AddModelError(name, $"{part.Name}: {error.Message}");
                count++;
            }
        }
        return count;
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var applications = await filing.BundleAsync(id, User.ResidentId(), ct);
        if (applications.Count == 0) return NotFound();
        if (applications.Any(a => a.Status != ApplicationStatus.Draft)) return Redirect($"/applications?bundle={id}");
        BundleId = id;
        Parts.Clear();
        Shared.Clear();
        var catalog = await index.GetAsync(ct);
        foreach (var (application, i) in applications.Select((a, i) => (a, i)))
        {
            var form = await filing.FormAsync(application, ct) ?? throw new InvalidOperationException("Form version missing.");
            var name = catalog.BySlug.TryGetValue(application.ProcedureSlug, out var e) ? e.Content.Name.In(t.Language) : form.Title.In(t.Language);
            Parts.Add(new Part(i, application, form, name));
        }
        foreach (var part in Parts)
        {
            var answers = part.Application.Answers();
            foreach (var field in FormAnswers.VisiblePages(part.Form, answers).SelectMany(p => FormAnswers.VisibleFields(p, answers)).Where(f => f.Shared is not null))
            {
                if (Shared.All(s => s.Field.Key != field.Shared))
                {
                    Shared.Add((field with { Key = field.Shared! }, part, field.Key));
                }
            }
        }
        return null;
    }

    public FieldView View(FormField field, Part part, string? sourceKey = null)
    {
        var key = sourceKey ?? field.Key;
        var prefix = sourceKey is null ? part.Prefix : SharedPrefix;
        return new(field, prefix + field.Key, part.Application.Answers()[key], part.Application.Locked.Contains(key), part.Application.Prefilled.Contains(key), t.Language);
    }
}
