using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Forms;
using Madoguchi.Web.Features.Guide;
using Madoguchi.Web.Features.Payments;
using Madoguchi.Web.Platform.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Applications;

/// <summary>A resident's applications, saved bank account and attachment list are in their download and go with their account.</summary>
internal sealed class ApplicationsData : IResidentData
{
    public string Key => "applications";

    public async Task<object> ExportAsync(AppDb db, Guid residentId, CancellationToken ct) => new
    {
        applications = (await db.Applications.AsNoTracking().Include(a => a.Events).Where(a => a.ResidentId == residentId).OrderBy(a => a.CreatedAt).ToListAsync(ct))
            .Select(a => new { a.Reference, a.FormSlug, a.FormVersion, a.ProcedureSlug, a.Status, a.Channel, answers = JsonNode.Parse(a.Data), a.FeeYen, a.CreatedAt, a.SubmittedAt, timeline = a.Events.OrderBy(e => e.At).Select(e => new { e.At, e.Status, e.Note }) }),
        savedBankAccount = await db.SavedBankAccounts.AsNoTracking().Where(b => b.ResidentId == residentId).Select(b => b.Data).SingleOrDefaultAsync(ct) is { } bank ? JsonNode.Parse(bank) : null,
    };
}

public static class ApplicationsSetup
{
    public static IHostApplicationBuilder AddApplications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<Filing>();
        builder.Services.AddScoped<Transitions>();
        builder.Services.AddScoped<IResidentData, ApplicationsData>();
        builder.Services.AddHostedService<DraftSweeper>();
        builder.Services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o => o.AddPolicy<string, SubmissionLimit>(SubmissionLimit.Name));
        return builder;
    }

    public static WebApplication MapApplications(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Applications").RequireAuthorization(Policies.ResidentApi);
        api.MapPost("/applications", SubmitAsync).RequireRateLimiting(SubmissionLimit.Name)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/applications/{id:guid}", GetAsync);
        api.MapPost("/applications/{id:guid}/payment", PayAsync)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/me/applications", MineAsync);
        return app;
    }

    public sealed record SubmitRequest(string? Form, string? Procedure, JsonObject? Data);

    public sealed record EventView(DateTime At, string Status, string? Note);

    public sealed record PaymentView(string Status, int AmountYen, string? NextUrl);

    public sealed record ApplicationView(
        Guid Id, string Reference, string Form, int FormVersion, string Procedure, string Status, string Channel, DateTime CreatedAt,
        DateTime? SubmittedAt, int FeeYen, PaymentView? Payment, IReadOnlyList<EventView> Timeline, JsonObject Data);

    public const int MaxBody = 256 * 1024;

    /// <summary>
    /// Files an application in one request. With an Idempotency-Key the same key and body give the same application,
    /// the same key with another body is refused (422), and two at once make one (the loser gets the winner's answer).
    /// </summary>
    private static async Task<Results<Created<ApplicationView>, Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext http, Filing filing, PaymentGateway payments, AppDb db, CatalogIndex index, IOptions<CatalogOptions> catalogOptions, Ui t, CancellationToken ct)
    {
        var residentId = http.User.ResidentId()!.Value;
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Idempotency-Key"] = [t["api.error.idempotency"]] });
        }
        if (http.Request.ContentLength is > MaxBody)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: t["api.error.large"]);
        }
        SubmitRequest? request;
        string raw;
        using (var reader = new StreamReader(http.Request.Body))
        {
            raw = await reader.ReadToEndAsync(ct);
        }
        try
        {
            request = System.Text.Json.JsonSerializer.Deserialize<SubmitRequest>(raw, System.Text.Json.JsonSerializerOptions.Web);
        }
        catch (System.Text.Json.JsonException)
        {
            request = null;
        }
        if (request is null || raw.Length > MaxBody)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [t["api.error.body"]] });
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonNode.Parse(raw)!.ToJsonString())));
        await using var open = await db.KeepOpenAsync(ct);
        var requestKey = key.Length > 0 ? "api:" + key : null;
        if (requestKey is not null && await ReplayAsync(db, residentId, requestKey, hash, t, ct) is { } replay)
        {
            return replay;
        }

        var catalog = await index.GetAsync(ct);
        if (request.Form is null || !catalog.Forms.TryGetValue(request.Form, out var form))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["form"] = [t["api.error.form"]] });
        }
        var resident = await db.Residents.Include(r => r.Household).SingleAsync(r => r.Id == residentId, ct);
        var entry = request.Procedure is { } slug
            ? catalog.BySlug.GetValueOrDefault(slug) is { } chosen && chosen.Content.Code == form.Definition.Procedure ? chosen : null
            : catalog.ForWard(form.Definition.Procedure, GuideQuery.WardOf(resident, catalog, catalogOptions.Value.CityName));
        if (entry is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["procedure"] = [t["api.error.procedure"]] });
        }
        if (form.Definition.Assurance == "high" && http.User.ResidentAssurance() != Assurance.High)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: t["apply.card.required"]);
        }
        if (form.Definition.AllFields.Any(f => f.Type == FieldType.File && f.Required && Shows(f, request.Data)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["data"] = [t["api.error.files"]] });
        }

        var application = await filing.NewAsync(form, entry, resident, ApplicationChannel.Online, requestKey, hash, Filing.ResidentActor, ct);
        var answers = application.Answers();
        foreach (var (field, value) in request.Data ?? [])
        {
            answers[field] = value?.DeepClone();
        }
        Prefill.Enforce(form.Definition, application, resident, answers);
        var (clean, errors) = filing.Check(form.Definition, answers);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.GroupBy(e => e.Path == "eligibility" ? "eligibility" : "data." + e.Path)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        }
        application.SetAnswers(clean);
        db.Applications.Add(application);
        Payment? payment = null;
        if ((application.FeeYen = Filing.Fee(form.Definition, clean)) > 0)
        {
            payment = filing.NewPayment(application, application.FeeYen, form.Definition.Title.Ja, null, PaymentGateway.ProviderName);
            db.Payments.Add(payment);
            await filing.MoveAsync(application, ApplicationStatus.PaymentPending, Filing.ResidentActor, ct);
        }
        else
        {
            await filing.MoveAsync(application, ApplicationStatus.Received, Filing.ResidentActor, ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (requestKey is not null)
        {
            // The same key arrived twice at once and the other request stored first: answer as it did.
            db.ChangeTracker.Clear();
            return await ReplayAsync(db, residentId, requestKey, hash, t, ct)
                ?? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: t["api.error.conflict"]);
        }
        if (payment is not null)
        {
            await payments.StartAsync(payment, $"{t.BaseUrl}/applications/{application.Id}/paid", ct);
        }
        return TypedResults.Created($"/api/v1/applications/{application.Id}", await ViewAsync(db, application, ct));
    }

    private static bool Shows(FormField field, JsonObject? data) =>
        FormAnswers.Shows(field.When, FormAnswers.Flatten(data ?? []));

    private static async Task<Results<Created<ApplicationView>, Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>?> ReplayAsync(
        AppDb db, Guid residentId, string requestKey, string hash, Ui t, CancellationToken ct)
    {
        // Usually the key is new: look it up cheaply, and load the whole application only for a replay.
        var seen = await db.Applications.AsNoTracking().Where(a => a.ResidentId == residentId && a.RequestKey == requestKey)
            .Select(a => new { a.Id, a.RequestHash }).SingleOrDefaultAsync(ct);
        if (seen is null)
        {
            return null;
        }
        if (seen.RequestHash != hash)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: t["api.error.idempotency.reused"]);
        }
        var earlier = await db.Applications.AsNoTracking().Include(a => a.Events).SingleAsync(a => a.Id == seen.Id, ct);
        return TypedResults.Created($"/api/v1/applications/{earlier.Id}", await ViewAsync(db, earlier, ct));
    }

    private static async Task<ApplicationView> ViewAsync(AppDb db, Application a, CancellationToken ct)
    {
        var payment = a.FeeYen == 0 && a.BundleId is null ? null
            : await db.Payments.AsNoTracking().LatestForAsync(a, ct);
        return new ApplicationView(
            a.Id, a.Reference, a.FormSlug, a.FormVersion, a.ProcedureSlug, a.Status, a.Channel, a.CreatedAt, a.SubmittedAt, a.FeeYen,
            payment is null ? null : new PaymentView(payment.Status, payment.AmountYen, PaymentStatus.Final(payment.Status) ? null : payment.NextUrl),
            [.. a.Events.OrderBy(e => e.At).Select(e => new EventView(e.At, e.Status, e.Note))],
            a.Answers());
    }

    /// <summary>The caller's own application; any other id answers exactly as one that does not exist.</summary>
    private static async Task<Results<Ok<ApplicationView>, NotFound>> GetAsync(Guid id, HttpContext http, Filing filing, AppDb db, CancellationToken ct) =>
        await filing.OwnedAsync(id, http.User.ResidentId(), ct) is { } application
            ? TypedResults.Ok(await ViewAsync(db, application, ct))
            : TypedResults.NotFound();

    /// <summary>
    /// The provider's payment page for an application waiting for payment: made now if the provider could not be reached
    /// when it was filed, the same page however often asked (the provider call's idempotency key is the intent's).
    /// </summary>
    private static async Task<Results<Ok<PaymentView>, NotFound, ProblemHttpResult>> PayAsync(
        Guid id, HttpContext http, Filing filing, AppDb db, PaymentGateway payments, Ui t, CancellationToken ct)
    {
        if (await filing.OwnedAsync(id, http.User.ResidentId(), ct) is not { } application)
        {
            return TypedResults.NotFound();
        }
        var payment = application.Status != ApplicationStatus.PaymentPending ? null
            : await db.Payments.LatestForAsync(application, ct);
        if (payment is null || PaymentStatus.Final(payment.Status))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: t["api.error.payment.none"]);
        }
        if (await payments.StartAsync(payment, $"{t.BaseUrl}/applications/{application.Id}/paid", ct) is not { } next)
        {
            http.Response.Headers.RetryAfter = "30";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: t["api.error.payment.unavailable"]);
        }
        return TypedResults.Ok(new PaymentView(payment.Status, payment.AmountYen, next));
    }

    public sealed record ListItem(Guid Id, string Reference, string Form, string Procedure, string Status, DateTime UpdatedAt, DateTime? SubmittedAt);

    private static async Task<Ok<List<ListItem>>> MineAsync(HttpContext http, AppDb db, CancellationToken ct)
    {
        var residentId = http.User.ResidentId()!.Value;
        return TypedResults.Ok(await db.Applications.AsNoTracking().Where(a => a.ResidentId == residentId).OrderByDescending(a => a.UpdatedAt).Take(500)
            .Select(a => new ListItem(a.Id, a.Reference, a.FormSlug, a.ProcedureSlug, a.Status, a.UpdatedAt, a.SubmittedAt)).ToListAsync(ct));
    }
}

/// <summary>Tells residents a few days before an untouched draft lapses, then lets it lapse; its files go with it.</summary>
public sealed class DraftSweeper(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DraftSweeper> log) : Platform.PeriodicService(log)
{
    public static readonly TimeSpan NoticeBefore = TimeSpan.FromDays(3);

    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    public override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var t = scope.ServiceProvider.GetRequiredService<Ui>();
        var now = clock.GetUtcNow().UtcDateTime;
        var soon = now.Add(NoticeBefore);
        var drafts = await db.Applications.Where(a => a.Status == ApplicationStatus.Draft && a.DraftExpiresAt != null && a.DraftExpiresAt < soon).Take(200).ToListAsync(ct);
        foreach (var draft in drafts)
        {
            if (draft.DraftExpiresAt < now)
            {
                await scope.ServiceProvider.GetRequiredService<Transitions>().MoveAsync(draft, ApplicationStatus.Expired, "system", null, ct);
                draft.Data = "{}";
                await db.Attachments.Where(a => a.ApplicationId == draft.Id).ExecuteDeleteAsync(ct);
            }
            else if (!draft.ExpiryNoticeSent && draft.ResidentId is { } residentId
                && await db.Residents.Where(r => r.Id == residentId).Select(r => new { r.Email, r.Language }).SingleOrDefaultAsync(ct) is { Email.Length: > 0 } resident)
            {
                draft.ExpiryNoticeSent = true;
                db.QueueMail(clock, resident.Email, t.FormatIn(resident.Language, "draft.expiry.subject", draft.Reference),
                    t.FormatIn(resident.Language, "draft.expiry.body", draft.Reference, draft.DraftExpiresAt!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"{t.BaseUrl}/applications/{draft.Id}"));
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
