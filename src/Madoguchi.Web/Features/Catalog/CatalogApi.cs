using System.Globalization;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Madoguchi.Web.Features.Catalog;

public static class CatalogSetup
{
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<CatalogOptions>(builder.Configuration.GetSection("Catalog"));
        builder.Services.AddSingleton<CatalogIndex>();
        builder.Services.AddHostedService<CatalogRefresher>();
        builder.Services.AddScoped<Platform.IDemoSeeder, CatalogSeed>();
        builder.Services.AddSingleton<Platform.IVerb, GenerateCatalogVerb>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCatalog(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/procedures").WithTags("Catalog");
        api.MapGet("", SearchAsync);
        api.MapGet("/{slug}", GetAsync);
        api.MapGet("/{slug}/deadline", DeadlineAsync);

        var staff = app.MapGroup("/api/v1/staff/catalog/procedures").WithTags("Catalog").RequireAuthorization(Policies.AdministratorApi);
        staff.MapPut("/{slug}", SaveDraftAsync);
        staff.MapPost("/{slug}/publish", PublishAsync);
        return app;
    }

    public sealed record SearchItem(string Slug, string Name, string Department, bool Online, string? Office, string Deadline);
    public sealed record SearchView(int Total, IReadOnlyList<SearchItem> Items);

    public const int MaxLimit = 1000;

    private static async Task<Results<Ok<SearchView>, ValidationProblem>> SearchAsync(string? q, int? limit, string? office, CatalogIndex index, Ui t, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [t.Format("search.error.limit", MaxLimit)] });
        }
        if (q is { Length: > 100 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = [t["search.error.long"]] });
        }
        var catalog = await index.GetAsync(ct);
        var result = catalog.Search(q, limit ?? 20, office);
        return TypedResults.Ok(new SearchView(result.Total, [.. result.Items.Select(e => ToSearchItem(catalog, e, t))]));
    }

    public static SearchItem ToSearchItem(CatalogSnapshot catalog, CatalogEntry e, Ui t) => new(
        e.Slug, e.Content.Name.In(t.Language), catalog.DepartmentName(e.Content.Department, t.Language), e.Content.CanApplyOnline,
        catalog.OfficeName(e.Content.Office, t.Language), e.Content.Deadline?.Describe(t) ?? t["deadline.none"]);

    public sealed record ProcedureView(string Slug, int Version, DateOnly LastUpdated, string DepartmentName, string? OfficeName, string DeadlineText, ProcedureContent Content);

    private static async Task<Results<Ok<ProcedureView>, NotFound>> GetAsync(string slug, CatalogIndex index, CityCalendar calendar, Ui t, CancellationToken ct)
    {
        var catalog = await index.GetAsync(ct);
        if (!catalog.BySlug.TryGetValue(slug, out var e))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new ProcedureView(e.Slug, e.Version, DateOnly.FromDateTime(calendar.ToLocal(e.PublishedAt)),
            catalog.DepartmentName(e.Content.Department, t.Language), catalog.OfficeName(e.Content.Office, t.Language),
            e.Content.Deadline?.Describe(t) ?? t["deadline.none"], e.Content));
    }

    public sealed record DeadlineView(string? Deadline, string Text);

    private static async Task<Results<Ok<DeadlineView>, NotFound, ValidationProblem>> DeadlineAsync(string slug, string? eventDate, CatalogIndex index, CityCalendar calendar, Ui t, CancellationToken ct)
    {
        var catalog = await index.GetAsync(ct);
        if (!catalog.BySlug.TryGetValue(slug, out var e))
        {
            return TypedResults.NotFound();
        }
        if (!TryParseDate(eventDate, out var date))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["eventDate"] = [t["guide.error.date"]] });
        }
        var deadline = e.Content.Deadline?.Compute(calendar, date);
        return TypedResults.Ok(new DeadlineView(deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), e.Content.Deadline?.Describe(t) ?? t["deadline.none"]));
    }

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && date.Year is >= 1900 and <= 2100;

    public sealed record DraftView(string Slug, int Version, string State);

    private static async Task<Results<Ok<DraftView>, ValidationProblem>> SaveDraftAsync(string slug, ProcedureContent content, AppDb db, TimeProvider clock, CatalogIndex index, HttpContext http, Ui t, CancellationToken ct)
    {
        var problems = ProcedureValidation.Validate(slug, content, await index.GetAsync(ct), t);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }
        var draft = await CatalogEditing.SaveDraftAsync(db, clock, AuditLog.ActorOf(http.User), CatalogDocument.Procedure, slug, content, ct);
        return TypedResults.Ok(new DraftView(slug, draft.Version, draft.State.ToString()));
    }

    private static async Task<Results<Ok<DraftView>, NotFound>> PublishAsync(string slug, AppDb db, TimeProvider clock, CatalogIndex index, HttpContext http, CancellationToken ct)
    {
        var published = await CatalogEditing.PublishAsync(db, clock, index, AuditLog.ActorOf(http.User), CatalogDocument.Procedure, slug, ct);
        return published is null ? TypedResults.NotFound() : TypedResults.Ok(new DraftView(slug, published.Version, published.State.ToString()));
    }
}

/// <summary>What a procedure must have before it can be saved, with messages in the editor's language.</summary>
public static class ProcedureValidation
{
    public static Dictionary<string, string[]> Validate(string slug, ProcedureContent content, CatalogSnapshot catalog, Ui t)
    {
        var problems = new Dictionary<string, string[]>();
        void Problem(string field, string key) => problems[field] = [t[key]];
        if (!IsSlug(slug)) Problem("slug", "catalog.error.slug");
        if (!IsSlug(content.Code)) Problem("code", "catalog.error.code");
        if (string.IsNullOrWhiteSpace(content.Name?.Ja)) Problem("name", "catalog.error.name");
        if (string.IsNullOrWhiteSpace(content.Summary?.Ja)) Problem("summary", "catalog.error.summary");
        if (!catalog.Departments.ContainsKey(content.Department ?? "")) Problem("department", "catalog.error.department");
        if (content.Office is not null && !catalog.Offices.ContainsKey(content.Office)) Problem("office", "catalog.error.office");
        if ((content.Channels ?? []).Any(c => !Channel.All.Contains(c))) Problem("channels", "catalog.error.channels");
        if (content.Deadline is { } d && (d.Days is < 0 or > 3650 || d.Months is < 0 or > 120 || string.IsNullOrWhiteSpace(d.Anchor))) Problem("deadline", "catalog.error.deadline");
        if (content.FeeYen is < 0 or > 1_000_000) Problem("feeYen", "catalog.error.fee");
        if (content.Online?.Url is { } url && !IsSafeLink(url)) Problem("onlineUrl", "catalog.error.url");
        return problems;
    }

    /// <summary>Links residents follow: https elsewhere, or a path on this site. Never javascript: or data:.</summary>
    public static bool IsSafeLink(string url) =>
        Home.HomeEndpoints.IsLocal(url) || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps);

    public static bool IsSlug(string? s) => s is { Length: > 0 and <= 100 } && s.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
