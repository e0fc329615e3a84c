using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Forms;
using Madoguchi.Web.Features.Payments;
using Madoguchi.Web.Platform.Mail;
using Madoguchi.Web.Platform.Calendar;
using Madoguchi.Web.Platform.Outbox;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Applications;

public enum StartError { None, NoProcedure, NoForm, Assurance }

public enum SubmitError { None, Invalid, NotEditable, Conflict }

public sealed record SubmitOutcome(SubmitError Error, Payment? Payment = null)
{
    public static readonly SubmitOutcome Done = new(SubmitError.None);
}

/// <summary>
/// The resident side of an application: start (pre-filled), save as you go, check, submit (through payment when
/// there is a fee), withdraw, and answer a return. Every status change goes through <see cref="Transitions.MoveAsync"/>.
/// </summary>
public sealed class Filing(AppDb db, TimeProvider clock, CatalogIndex catalog, FormVersions versions, Transitions transitions, Ui t)
{
    public const string ResidentActor = "resident";

    /// <summary>The resident's open draft of this procedure, or a new one filled from the profile.</summary>
    public async Task<(Application? Application, StartError Error)> StartAsync(Guid residentId, Assurance assurance, string procedureSlug, string? requestKey, CancellationToken ct)
    {
        var snapshot = await catalog.GetAsync(ct);
        if (!snapshot.BySlug.TryGetValue(procedureSlug, out var entry))
        {
            return (null, StartError.NoProcedure);
        }
        if (!snapshot.FormsByProcedure.TryGetValue(entry.Content.Code, out var form))
        {
            return (null, StartError.NoForm);
        }
        if (form.Definition.Assurance == "high" && assurance != Assurance.High)
        {
            return (null, StartError.Assurance);
        }
        var open = await db.Applications.FirstOrDefaultAsync(a => a.ResidentId == residentId && a.ProcedureSlug == procedureSlug && a.Status == ApplicationStatus.Draft, ct);
        if (open is not null)
        {
            return (open, StartError.None);
        }
        if (requestKey is not null && await db.Applications.FirstOrDefaultAsync(a => a.ResidentId == residentId && a.RequestKey == requestKey, ct) is { } same)
        {
            return (same, StartError.None);
        }
        var resident = await db.Residents.Include(r => r.Household).SingleAsync(r => r.Id == residentId, ct);
        var application = await NewAsync(form, entry, resident, ApplicationChannel.Online, requestKey, null, ResidentActor, ct);
        db.Applications.Add(application);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (requestKey is not null)
        {
            // A double click raced this one and won: use its draft.
            db.ChangeTracker.Clear();
            return (await db.Applications.SingleAsync(a => a.ResidentId == residentId && a.RequestKey == requestKey, ct), StartError.None);
        }
        return (application, StartError.None);
    }

    /// <summary>
    /// Drafts for several procedures at once, linked as a bundle: asked together, shared questions once, filed together
    /// with one payment. The request key makes a double click one bundle. Procedures without a form are left out.
    /// </summary>
    public async Task<Guid?> StartBundleAsync(Guid residentId, Assurance assurance, IReadOnlyList<string> procedureSlugs, string? requestKey, CancellationToken ct)
    {
        if (requestKey is not null && await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.ResidentId == residentId && a.RequestKey == requestKey, ct) is { BundleId: { } earlier })
        {
            return earlier;
        }
        var snapshot = await catalog.GetAsync(ct);
        var chosen = procedureSlugs.Distinct().Select(slug => snapshot.BySlug.GetValueOrDefault(slug)).OfType<CatalogEntry>()
            .Select(entry => (Entry: entry, Form: snapshot.FormsByProcedure.GetValueOrDefault(entry.Content.Code)))
            .Where(x => x.Form is not null && (x.Form.Definition.Assurance != "high" || assurance == Assurance.High))
            .Take(10).ToList();
        if (chosen.Count == 0)
        {
            return null;
        }
        var resident = await db.Residents.Include(r => r.Household).SingleAsync(r => r.Id == residentId, ct);
        var bundleId = Guid.CreateVersion7();
        for (var i = 0; i < chosen.Count; i++)
        {
            var application = await NewAsync(chosen[i].Form!, chosen[i].Entry, resident, ApplicationChannel.Online, i == 0 ? requestKey : null, null, ResidentActor, ct);
            application.BundleId = bundleId;
            db.Applications.Add(application);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (requestKey is not null)
        {
            db.ChangeTracker.Clear();
            return (await db.Applications.AsNoTracking().SingleAsync(a => a.ResidentId == residentId && a.RequestKey == requestKey, ct)).BundleId;
        }
        return bundleId;
    }

    /// <summary>A paper application (紙の申請書) being typed in by staff: a paper-channel draft, for a known resident or for nobody on file.</summary>
    public async Task<Guid> StartPaperAsync(Resident? resident, PublishedForm form, CatalogEntry entry, string actor, CancellationToken ct)
    {
        var application = await NewAsync(form, entry, resident, ApplicationChannel.Paper, null, null, actor, ct);
        application.BundleId = Guid.CreateVersion7();
        db.Applications.Add(application);
        db.Audit(clock, actor, "paper.started", $"application:{application.Id}", new { resident = resident?.Id });
        await db.SaveChangesAsync(ct);
        return application.BundleId.Value;
    }

    /// <summary>
    /// The no-writing counter: a clerk's interview becomes drafts of every procedure that has a form, filled from the
    /// resident's profile and from the interview's answers where a form asks the same question. Channel: counter.
    /// </summary>
    public async Task<Guid?> StartIntakeAsync(Resident resident, IEnumerable<CatalogEntry> entries, IReadOnlyDictionary<string, string> answers, string actor, CancellationToken ct)
    {
        var snapshot = await catalog.GetAsync(ct);
        var bundleId = Guid.CreateVersion7();
        var count = 0;
        foreach (var entry in entries.DistinctBy(e => e.Content.Code).Take(10))
        {
            if (!snapshot.FormsByProcedure.TryGetValue(entry.Content.Code, out var form)) continue;
            var application = await NewAsync(form, entry, resident, ApplicationChannel.Counter, null, null, actor, ct);
            application.BundleId = bundleId;
            var data = application.Answers();
            foreach (var field in form.Definition.AllFields.Where(f => f.Type is FieldType.Choice or FieldType.YesNo && data[f.Key] is null))
            {
                var value = answers.GetValueOrDefault(field.Shared ?? field.Key) ?? answers.GetValueOrDefault(field.Key);
                if (value is not null && (field.Type == FieldType.YesNo ? value is "yes" or "no" : field.Choices.Any(c => c.Value == value)))
                {
                    data[field.Key] = value;
                    application.Prefilled.Add(field.Key);
                }
            }
            application.SetAnswers(data);
            db.Applications.Add(application);
            count++;
        }
        if (count == 0) return null;
        db.Audit(clock, actor, "intake.started", $"resident:{resident.Id}", new { bundleId, count });
        await db.SaveChangesAsync(ct);
        return bundleId;
    }

    /// <summary>The resident's applications of one bundle, in the order they were made.</summary>
    public Task<List<Application>> BundleAsync(Guid bundleId, Guid? residentId, CancellationToken ct) =>
        residentId is null ? Task.FromResult(new List<Application>())
            : db.Applications.Include(a => a.Events).Where(a => a.BundleId == bundleId && a.ResidentId == residentId).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(ct);

    /// <summary>
    /// Files every draft of a bundle in one transaction: all received, or — when any has a fee — all waiting for one
    /// payment of the total. Nothing is filed while any of them has something to fix.
    /// </summary>
    public async Task<SubmitOutcome> SubmitBundleAsync(Guid bundleId, IReadOnlyList<(Application Application, FormDefinition Form)> parts, string? provider, string actor, CancellationToken ct)
    {
        if (parts.Count == 0 || parts.Any(p => p.Application.Status != ApplicationStatus.Draft))
        {
            return new(SubmitError.NotEditable);
        }
        var invalid = false;
        foreach (var (application, form) in parts)
        {
            var answers = application.Answers();
            Prefill.Enforce(form, application, await ResidentAsync(application, ct), answers);
            var (clean, errors) = Check(form, answers);
            invalid |= errors.Count > 0;
            application.SetAnswers(clean);
            application.FeeYen = Fee(form, clean);
        }
        if (invalid)
        {
            db.ChangeTracker.Clear();
            return new(SubmitError.Invalid);
        }
        // At the counter (no provider) the fee is taken there; online it is one payment for the whole bundle.
        var total = parts.Sum(p => p.Application.FeeYen);
        Payment? payment = null;
        if (total > 0 && provider is not null)
        {
            payment = NewPayment(parts[0].Application, total, string.Join("・", parts.Where(p => p.Application.FeeYen > 0).Select(p => p.Form.Title.Ja)), bundleId, provider);
            db.Payments.Add(payment);
        }
        foreach (var (application, _) in parts)
        {
            await MoveAsync(application, payment is null ? ApplicationStatus.Received : ApplicationStatus.PaymentPending, actor, ct);
        }
        return await CommitAsync(new SubmitOutcome(SubmitError.None, payment), ct);
    }

    /// <summary>A new draft, filled from the profile; not yet added to the context. The actor who starts it is on its first event.</summary>
    public async Task<Application> NewAsync(PublishedForm form, CatalogEntry entry, Resident? resident, string channel, string? requestKey, string? requestHash, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var filled = resident is null ? new Prefill.Result([], [], [])
            : Prefill.From(form.Definition, resident, form.Definition.AllFields.Any(f => f.Bind == "bank") ? await SavedBankAsync(resident.Id, ct) : null);
        var application = new Application
        {
            Reference = Application.NewReference(),
            ResidentId = resident?.Id,
            FormSlug = form.Slug,
            FormVersion = form.Version,
            ProcedureSlug = entry.Slug,
            ProcedureCode = entry.Content.Code,
            Department = entry.Content.Department,
            Office = entry.Content.Office,
            Channel = channel,
            Data = filled.Data.ToJsonString(),
            Prefilled = filled.Prefilled,
            Locked = filled.Locked,
            RequestKey = requestKey,
            RequestHash = requestHash,
            CreatedAt = now,
            UpdatedAt = now,
            DraftExpiresAt = now.AddDays(form.Definition.DraftDays),
        };
        application.Events.Add(new ApplicationEvent { ApplicationId = application.Id, At = now, Status = ApplicationStatus.Draft, Actor = actor });
        return application;
    }

    private async Task<JsonObject?> SavedBankAsync(Guid residentId, CancellationToken ct) =>
        await db.SavedBankAccounts.AsNoTracking().Where(b => b.ResidentId == residentId).Select(b => b.Data).SingleOrDefaultAsync(ct) is { } data
            ? JsonNode.Parse(data) as JsonObject
            : null;

    /// <summary>The resident's own application, or null — exactly as for an id that does not exist.</summary>
    public Task<Application?> OwnedAsync(Guid id, Guid? residentId, CancellationToken ct) =>
        residentId is null ? Task.FromResult<Application?>(null)
            : db.Applications.Include(a => a.Events).SingleOrDefaultAsync(a => a.Id == id && a.ResidentId == residentId, ct);

    public Task<FormDefinition?> FormAsync(Application application, CancellationToken ct) =>
        versions.GetAsync(db, application.FormSlug, application.FormVersion, ct);

    /// <summary>Merges a page's answers into the application; locked answers stay as the profile has them. Saving keeps a draft alive.</summary>
    public async Task<bool> SaveAsync(Application application, FormDefinition form, JsonObject page, CancellationToken ct)
    {
        if (!ApplicationStatus.Editable(application.Status))
        {
            return false;
        }
        var answers = application.Answers();
        foreach (var (key, value) in page)
        {
            answers[key] = value?.DeepClone();
        }
        Prefill.Enforce(form, application, await ResidentAsync(application, ct), answers);
        application.SetAnswers(answers);
        var now = clock.GetUtcNow().UtcDateTime;
        application.UpdatedAt = now;
        if (application.Status == ApplicationStatus.Draft)
        {
            application.DraftExpiresAt = now.AddDays(form.DraftDays);
            application.ExpiryNoticeSent = false;
        }
        application.Revision++;
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private Task<Resident?> ResidentAsync(Application application, CancellationToken ct) =>
        application.ResidentId is null ? Task.FromResult<Resident?>(null)
            : db.Residents.Include(r => r.Household).AsNoTracking().SingleOrDefaultAsync(r => r.Id == application.ResidentId, ct);

    /// <summary>Every visible page checked, then the eligibility rules; the clean answers when there is nothing to fix.</summary>
    public (JsonObject Clean, List<FieldError> Errors) Check(FormDefinition form, JsonObject answers)
    {
        var fields = FormAnswers.VisiblePages(form, answers).SelectMany(p => p.Fields);
        var (clean, errors) = FormAnswers.Validate(fields, answers, t);
        var flat = FormAnswers.Flatten(clean);
        foreach (var rule in form.Eligibility.Where(r => FormAnswers.Shows(r.When, flat)))
        {
            errors.Add(new FieldError("eligibility", rule.Message.In(t.Language)));
        }
        return (clean, errors);
    }

    /// <summary>The fee: each line once, or per unit of the number answer it names.</summary>
    public static int Fee(FormDefinition form, JsonObject answers) =>
        form.Fees.Sum(line => line.PerField is null ? line.Yen
            : int.TryParse(FormAnswers.AsString(answers[line.PerField]), out var n) && n > 0 ? line.Yen * n : 0);

    /// <summary>
    /// Files the application. Without a fee it is received at once; with one it is stored as payment-pending together
    /// with its payment intent, in one transaction, before the resident is sent to pay.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(Application application, FormDefinition form, string provider, CancellationToken ct)
    {
        if (!ApplicationStatus.Editable(application.Status))
        {
            return new(SubmitError.NotEditable);
        }
        var answers = application.Answers();
        Prefill.Enforce(form, application, await ResidentAsync(application, ct), answers);
        var (clean, errors) = Check(form, answers);
        if (errors.Count > 0)
        {
            return new(SubmitError.Invalid);
        }
        application.SetAnswers(clean);
        if (application.Status == ApplicationStatus.Returned)
        {
            await MoveAsync(application, ApplicationStatus.Corrected, ResidentActor, ct);
        }
        else if ((application.FeeYen = Fee(form, clean)) > 0)
        {
            var payment = NewPayment(application, application.FeeYen, form.Title.Ja, null, provider);
            db.Payments.Add(payment);
            await MoveAsync(application, ApplicationStatus.PaymentPending, ResidentActor, ct);
            return await CommitAsync(new SubmitOutcome(SubmitError.None, payment), ct);
        }
        else
        {
            await MoveAsync(application, ApplicationStatus.Received, ResidentActor, ct);
        }
        return await CommitAsync(SubmitOutcome.Done, ct);
    }

    /// <summary>The intent for one application, or (with <paramref name="bundleId"/>) for a whole bundle under its first application's reference.</summary>
    public Payment NewPayment(Application application, int amount, string description, Guid? bundleId, string provider)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new Payment
        {
            ApplicationId = bundleId is null ? application.Id : null,
            BundleId = bundleId,
            ResidentId = application.ResidentId,
            AmountYen = amount,
            Description = description.Length > 190 ? description[..190] : description,
            Reference = application.Reference,
            Provider = provider,
            CreatedAt = now,
            UpdatedAt = now,
            NextCheckAt = now.Add(PaymentsSetup.CheckAfterSilence),
            ExpiresAt = now.Add(PaymentsSetup.IntentLifetime),
        };
    }

    private async Task<SubmitOutcome> CommitAsync(SubmitOutcome outcome, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return outcome;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another request (a double click, a second tab) moved it first; theirs stands.
            return new(SubmitError.Conflict);
        }
    }

    /// <summary>Withdraws a submitted application the back office has not started on, or one sent back for correction.</summary>
    public async Task<bool> WithdrawAsync(Application application, CancellationToken ct)
    {
        if (!ApplicationStatus.CanMove(application.Status, ApplicationStatus.Withdrawn))
        {
            return false;
        }
        await MoveAsync(application, ApplicationStatus.Withdrawn, ResidentActor, ct);
        return (await CommitAsync(SubmitOutcome.Done, ct)).Error == SubmitError.None;
    }

    /// <summary>Discards a draft the resident no longer wants; nothing of it is kept.</summary>
    public async Task<bool> DiscardAsync(Application application, CancellationToken ct)
    {
        if (application.Status != ApplicationStatus.Draft)
        {
            return false;
        }
        await db.Attachments.Where(a => a.ApplicationId == application.Id).ExecuteDeleteAsync(ct);
        db.Applications.Remove(application);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Moves an application along its life, with a timeline entry, an audit entry and a notice to the resident through the outbox.</summary>
    public Task MoveAsync(Application application, string to, string actor, CancellationToken ct, string? note = null) =>
        transitions.MoveAsync(application, to, actor, note, ct);
}

/// <summary>The one place an application changes status; used by residents, the payment webhook, the sweeps and the back office.</summary>
public sealed class Transitions(AppDb db, TimeProvider clock, Ui t, CatalogIndex catalog, CityCalendar calendar, IOptions<Casework.CaseworkOptions> casework)
{
    /// <summary>
    /// Moves the application (tracked by the scope's <see cref="AppDb"/>) and adds, to the same unit of work, a timeline
    /// entry, an audit entry and the resident's notice mail. On arrival in the back office the case gets its due date:
    /// the procedure's standard processing period counted in open days (the city's default where it varies). Nothing happens
    /// until the caller saves.
    /// </summary>
    public async Task MoveAsync(Application application, string to, string actor, string? note, CancellationToken ct)
    {
        if (!ApplicationStatus.CanMove(application.Status, to))
        {
            throw new InvalidOperationException($"{application.Status} → {to}");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var from = application.Status;
        application.Status = to;
        application.UpdatedAt = now;
        application.Revision++;
        if (to is ApplicationStatus.Received or ApplicationStatus.Corrected)
        {
            application.SubmittedAt ??= now;
            application.DraftExpiresAt = null;
        }
        if (to == ApplicationStatus.Received && application.DueOn is null)
        {
            var days = (await catalog.GetAsync(ct)).BySlug.GetValueOrDefault(application.ProcedureSlug)?.Content.ProcessingDays ?? casework.Value.DefaultProcessingDays;
            application.DueOn = calendar.AddOpenDays(DateOnly.FromDateTime(calendar.ToLocal(now)), days);
        }
        if (to == ApplicationStatus.Returned)
        {
            application.ReturnNote = note;
        }
        db.ApplicationEvents.Add(new ApplicationEvent { ApplicationId = application.Id, At = now, Status = to, Actor = actor, Note = note });
        db.Audit(clock, actor, "application." + to, $"application:{application.Id}", new { from, to });
        if (to is ApplicationStatus.PaymentPending or ApplicationStatus.Draft || application.ResidentId is not { } residentId)
        {
            return;
        }
        // The mail is in the language the resident uses, whoever moves the case; what they do themselves tells which
        // language that is. The resident is usually loaded already in this unit of work; otherwise one small query.
        var own = actor == Filing.ResidentActor;
        var resident = db.Tracked<Resident>().Select(e => e.Entity).FirstOrDefault(r => r.Id == residentId) ?? (own ? await db.Residents.FindAsync([residentId], ct) : null);
        if (own && resident is not null) resident.Language = t.Language;
        var (email, language) = resident is not null ? (resident.Email, resident.Language)
            : await db.Residents.Where(r => r.Id == residentId).Select(r => new { r.Email, r.Language }).SingleOrDefaultAsync(ct) is { } found ? (found.Email, found.Language) : (null, null);
        if (!string.IsNullOrEmpty(email))
        {
            var status = t.In(language, "application.status." + to);
            db.QueueMail(clock, email, t.FormatIn(language, "application.mail.subject", status, application.Reference),
                t.FormatIn(language, "application.mail.body", application.Reference, status, note ?? "", $"{t.BaseUrl}/applications/{application.Id}"));
        }
    }
}
