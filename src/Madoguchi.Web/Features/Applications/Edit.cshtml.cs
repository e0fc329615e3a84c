using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Forms;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Applications;

/// <summary>
/// One page of the form. Every post saves what was typed, valid or not, so nothing is lost; moving on needs the
/// page to be valid. Questions that a new answer makes relevant appear on the same page before moving on.
/// </summary>
[Authorize(Policy = Policies.Resident)]
[RequestSizeLimit(AttachedFile.MaxBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = AttachedFile.MaxBytes + 1024 * 1024)]
public sealed class EditModel(Filing filing, AppDb db, TimeProvider clock, Ui t) : PageModel
{
    public Application Application { get; private set; } = null!;
    public FormDefinition Form { get; private set; } = null!;
    public JsonObject Answers { get; private set; } = [];
    public IReadOnlyList<FormPage> Pages { get; private set; } = [];
    public FormPage Current { get; private set; } = null!;
    public IReadOnlyList<FormField> Fields { get; private set; } = [];
    public int Number => Pages.ToList().IndexOf(Current) + 1;
    public bool Multipart => Fields.Any(f => f.Type == FieldType.File);

    public async Task<IActionResult> OnGetAsync(Guid id, string? step, CancellationToken ct)
    {
        if (await LoadAsync(id, step, ct) is { } other) return other;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string? step, string? action, CancellationToken ct)
    {
        if (await LoadAsync(id, step, ct) is { } other) return other;
        var shown = Fields.Select(f => f.Key).ToHashSet();
        var posted = FormAnswers.Read(Fields, Request.Form);
        if (!await StoreFilesAsync(posted, ct))
        {
            // A refused file: say why, keep everything else that was typed.
            await filing.SaveAsync(Application, Form, posted, ct);
            Refresh();
            return Page();
        }
        var rowAction = FormAnswers.ApplyRowAction(action, FormAnswers.Prefix, Fields, posted);
        if (!await filing.SaveAsync(Application, Form, posted, ct))
        {
            return Redirect($"/applications/{Application.Id}");
        }
        Refresh();
        if (rowAction)
        {
            return Page();
        }
        if (action == "save")
        {
            return Redirect($"/applications/{Application.Id}?saved=1");
        }
        if (action == "back")
        {
            var previous = Number > 1 ? Pages[Number - 2] : null;
            return Redirect(previous is null ? $"/apply/{Application.ProcedureSlug}" : $"/applications/{Application.Id}/edit/{previous.Key}");
        }
        // A new answer made more questions relevant on this page: ask them before moving on.
        if (Fields.Any(f => !shown.Contains(f.Key)))
        {
            return Page();
        }
        var (_, errors) = FormAnswers.Validate(Fields, Answers, t);
        if (errors.Count > 0)
        {
            foreach (var e in errors) ModelState.AddModelError(FormAnswers.Prefix + e.Path, e.Message);
            return Page();
        }
        var next = Number < Pages.Count ? Pages[Number] : null;
        return Redirect(next is null ? $"/applications/{Application.Id}/check" : $"/applications/{Application.Id}/edit/{next.Key}");
    }

    /// <summary>Saves what has been typed so far, without checking it (script-driven autosave).</summary>
    public async Task<IActionResult> OnPostAutosaveAsync(Guid id, string? step, CancellationToken ct)
    {
        if (await LoadAsync(id, step, ct) is not null) return NotFound();
        var posted = FormAnswers.Read(Fields, Request.Form);
        return await filing.SaveAsync(Application, Form, posted, ct) ? new NoContentResult() : new ConflictResult();
    }

    private async Task<bool> StoreFilesAsync(JsonObject posted, CancellationToken ct)
    {
        var ok = true;
        foreach (var field in Fields.Where(f => f.Type == FieldType.File))
        {
            var name = FormAnswers.Prefix + field.Key;
            if (Request.Form.Files.GetFile(name) is not { Length: > 0 } file)
            {
                continue;
            }
            if (file.Length > AttachedFile.MaxBytes)
            {
                ModelState.AddModelError(name, t.Format("form.error.file.size", field.Label.In(t.Language), AttachedFile.MaxBytes / 1024 / 1024));
                ok = false;
                continue;
            }
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            var bytes = buffer.ToArray();
            if (AttachedFile.Sniff(bytes) is not var (contentType, extension))
            {
                ModelState.AddModelError(name, t.Format("form.error.file.type", field.Label.In(t.Language)));
                ok = false;
                continue;
            }
            await db.Attachments.Where(a => a.ApplicationId == Application.Id && a.FieldKey == field.Key).ExecuteDeleteAsync(ct);
            var attachment = new AttachedFile
            {
                ApplicationId = Application.Id, FieldKey = field.Key, FileName = AttachedFile.SafeName(file.FileName, extension), ContentType = contentType,
                Size = bytes.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), Content = bytes, CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.Attachments.Add(attachment);
            posted[field.Key] = new JsonObject { ["id"] = attachment.Id.ToString(), ["name"] = attachment.FileName, ["size"] = attachment.Size, ["type"] = contentType };
        }
        return ok;
    }

    private async Task<IActionResult?> LoadAsync(Guid id, string? step, CancellationToken ct)
    {
        if (await filing.OwnedAsync(id, User.ResidentId(), ct) is not { } application) return NotFound();
        Application = application;
        if (!ApplicationStatus.Editable(application.Status)) return Redirect($"/applications/{id}");
        Form = await filing.FormAsync(application, ct) ?? throw new InvalidOperationException($"Form {application.FormSlug} v{application.FormVersion} is missing.");
        Refresh(step);
        return null;
    }

    private void Refresh(string? step = null)
    {
        Answers = Application.Answers();
        Pages = [.. FormAnswers.VisiblePages(Form, Answers)];
        Current = Pages.FirstOrDefault(p => p.Key == (step ?? Current?.Key)) ?? Pages[0];
        Fields = [.. FormAnswers.VisibleFields(Current, Answers)];
    }

    public FieldView View(FormField field) => new(
        field, FormAnswers.Prefix + field.Key, Answers[field.Key],
        Application.Locked.Contains(field.Key), Application.Prefilled.Contains(field.Key), t.Language);
}
