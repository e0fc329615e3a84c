using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Forms;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Madoguchi.Web.Features.Applications;

/// <summary>
/// Several applications filled as one form: questions that mean the same in several forms (their
/// <see cref="FormField.Shared"/> key) are asked once and copied into each application; the rest is asked per
/// application. Used by residents' bundles and by the no-writing counter.
/// </summary>
public sealed class CombinedForm
{
    public const string SharedPrefix = "f.shared.";

    public sealed record Part(int Index, Application Application, FormDefinition Form, string Name)
    {
        public string Prefix => $"f.{Index}.";
    }

    public List<Part> Parts { get; } = [];
    /// <summary>The shared questions: the first form's field under the shared key, the part it is read from, and its own key there.</summary>
    public List<(FormField Field, Part From, string SourceKey)> Shared { get; } = [];

    public int Fee => Parts.Sum(p => Filing.Fee(p.Form, p.Application.Answers()));

    public static async Task<CombinedForm> LoadAsync(Filing filing, CatalogIndex index, IReadOnlyList<Application> applications, string language, CancellationToken ct)
    {
        var combined = new CombinedForm();
        var catalog = await index.GetAsync(ct);
        foreach (var (application, i) in applications.Select((a, i) => (a, i)))
        {
            var form = await filing.FormAsync(application, ct) ?? throw new InvalidOperationException("Form version missing.");
            var name = catalog.BySlug.TryGetValue(application.ProcedureSlug, out var e) ? e.Content.Name.In(language) : form.Title.In(language);
            combined.Parts.Add(new Part(i, application, form, name));
        }
        foreach (var part in combined.Parts)
        {
            foreach (var field in Visible(part).Where(f => f.Shared is not null && combined.Shared.All(s => s.Field.Key != f.Shared)))
            {
                combined.Shared.Add((field with { Key = field.Shared! }, part, field.Key));
            }
        }
        return combined;
    }

    private static IEnumerable<FormField> Visible(Part part)
    {
        var answers = part.Application.Answers();
        return FormAnswers.VisiblePages(part.Form, answers).SelectMany(page => FormAnswers.VisibleFields(page, answers));
    }

    /// <summary>A part's own questions: the visible ones no shared question covers.</summary>
    public static IEnumerable<FormField> Fields(Part part) => Visible(part).Where(f => f.Shared is null);

    /// <summary>The names of the inputs on the page now, to notice when an answer brought new questions.</summary>
    public HashSet<string> InputNames() =>
        [.. Shared.Select(s => SharedPrefix + s.Field.Key), .. Parts.SelectMany(p => Fields(p).Select(f => p.Prefix + f.Key))];

    /// <summary>
    /// Saves what was posted into every application (shared answers into each that asks them), after a group's
    /// 「追加」/「削除」 if that was the button. False when an application changed meanwhile.
    /// </summary>
    public async Task<bool> SaveAsync(Filing filing, IFormCollection form, string? action, CancellationToken ct)
    {
        var shared = FormAnswers.Read(Shared.Select(s => s.Field), form, SharedPrefix);
        FormAnswers.ApplyRowAction(action, SharedPrefix, Shared.Select(s => s.Field), shared);
        foreach (var part in Parts)
        {
            var own = Fields(part).ToList();
            var posted = FormAnswers.Read(own, form, part.Prefix);
            FormAnswers.ApplyRowAction(action, part.Prefix, own, posted);
            foreach (var field in part.Form.AllFields.Where(f => f.Shared is not null && shared.ContainsKey(f.Shared!)))
            {
                posted[field.Key] = shared[field.Shared!]?.DeepClone();
            }
            if (!await filing.SaveAsync(part.Application, part.Form, posted, ct)) return false;
        }
        return true;
    }

    /// <summary>Every problem of every part, put on the input it belongs to and named after its procedure; the count.</summary>
    public int AddErrors(ModelStateDictionary state, Filing filing)
    {
        var count = 0;
        foreach (var part in Parts)
        {
            var (_, errors) = filing.Check(part.Form, part.Application.Answers());
            foreach (var error in errors)
            {
                var key = error.Path.Split('.')[0];
                var shared = part.Form.Field(key)?.Shared;
                var name = shared is not null ? SharedPrefix + shared + error.Path[key.Length..] : part.Prefix + error.Path;
                if (state.TryGetValue(name, out var entry) && entry.Errors.Count > 0) continue;
                state.AddModelError(name, $"{part.Name}: {error.Message}");
                count++;
            }
        }
        return count;
    }

    public static FieldView View(FormField field, Part part, string language, string? sharedSourceKey = null)
    {
        var key = sharedSourceKey ?? field.Key;
        var prefix = sharedSourceKey is null ? part.Prefix : SharedPrefix;
        return new(field, prefix + field.Key, part.Application.Answers()[key], part.Application.Locked.Contains(key), part.Application.Prefilled.Contains(key), language);
    }
}
