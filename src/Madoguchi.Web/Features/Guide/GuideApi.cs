using System.Globalization;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Guide;

/// <summary>A plan a signed-in resident kept: the answers, so the plan is rebuilt from the catalogue as it is now.</summary>
public sealed class SavedPlan
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid ResidentId { get; init; }
    public required string EventId { get; init; }
    public required DateOnly EventDate { get; init; }
    public string? Ward { get; init; }
    public required Dictionary<string, string> Answers { get; init; }
    public required DateTime CreatedAt { get; init; }
}

internal sealed class SavedPlanConfiguration : IEntityTypeConfiguration<SavedPlan>
{
    public void Configure(EntityTypeBuilder<SavedPlan> plan)
    {
        plan.ToTable("saved_plans");
        plan.HasIndex(p => p.ResidentId);
        plan.Property(p => p.EventId).HasMaxLength(40);
        plan.Property(p => p.Ward).HasMaxLength(40);
        plan.Property(p => p.Answers).HasConversion(
            a => System.Text.Json.JsonSerializer.Serialize(a, (System.Text.Json.JsonSerializerOptions?)null),
            s => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(s, (System.Text.Json.JsonSerializerOptions?)null) ?? new(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, string>>(
                (a, b) => a!.Count == b!.Count && !a.Except(b).Any(), a => a.Count, a => new Dictionary<string, string>(a)));
        plan.HasOne<Accounts.Resident>().WithMany().HasForeignKey(p => p.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>A request for a plan, as the API and the pages receive it, checked against the event's questions.</summary>
public sealed record PlanRequest(string? EventDate, string? Ward, Dictionary<string, string>? Answers)
{
    public const string WardKey = "ward";

    /// <summary>The problems, keyed by field, in the resident's language; none means the request can be planned.</summary>
    public Dictionary<string, string[]> Validate(LifeEventContent lifeEvent, CatalogSnapshot catalog, Ui t, out DateOnly eventDate)
    {
        var problems = new Dictionary<string, string[]>();
        if (!CatalogSetup.TryParseDate(EventDate, out eventDate))
        {
            problems["eventDate"] = [t["guide.error.date"]];
        }
        if (!string.IsNullOrEmpty(Ward) && Ward != Question.Unknown && !catalog.IsWard(Ward))
        {
            problems[WardKey] = [t["guide.error.ward"]];
        }
        foreach (var (key, value) in Answers ?? [])
        {
            var question = lifeEvent.Questions.FirstOrDefault(q => q.Key == key);
            if (question is null)
            {
                problems[$"answers.{key}"] = [t["guide.error.question"]];
            }
            else if (question.Type == Question.Date)
            {
                if (!string.IsNullOrEmpty(value) && !CatalogSetup.TryParseDate(value, out _))
                {
                    problems[$"answers.{key}"] = [t["guide.error.date"]];
                }
            }
            else if (!string.IsNullOrEmpty(value) && value != Question.Unknown && question.Choices.All(o => o.Value != value))
            {
                problems[$"answers.{key}"] = [t["guide.error.option"]];
            }
        }
        return problems;
    }
}

/// <summary>Saved plans are the resident's data: they go into the resident's download.</summary>
internal sealed class SavedPlansData : IResidentData
{
    public string Key => "savedPlans";

    public async Task<object> ExportAsync(AppDb db, Guid residentId, CancellationToken ct) =>
        await db.SavedPlans.AsNoTracking().Where(p => p.ResidentId == residentId).OrderBy(p => p.CreatedAt)
            .Select(p => new { p.EventId, p.EventDate, p.Ward, p.Answers, p.CreatedAt }).ToListAsync(ct);
}

public static class GuideSetup
{
    public static IHostApplicationBuilder AddGuide(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<IResidentData, SavedPlansData>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGuide(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/life-events").WithTags("Guide");
        api.MapGet("", ListAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/{id}/plan", PlanAsync);
        app.MapGet("/guide/{id}/plan.ics", CalendarFileAsync).ExcludeFromDescription();
        return app;
    }

    /// <summary>The plan's deadlines as an iCalendar file: one all-day event per dated procedure.</summary>
    private static async Task<IResult> CalendarFileAsync(string id, HttpContext http, CatalogIndex index, CityCalendar calendar, Ui t, CancellationToken ct)
    {
        var catalog = await index.GetAsync(ct);
        if (catalog.LifeEvent(id) is not { } lifeEvent)
        {
            return Results.NotFound();
        }
        var request = GuideQuery.Read(http.Request.Query, lifeEvent);
        var problems = request.Validate(lifeEvent, catalog, t, out var eventDate);
        if (problems.Count > 0)
        {
            return Results.ValidationProblem(problems);
        }
        var plan = Planner.Build(catalog, calendar, id, lifeEvent, eventDate, request.Ward, request.Answers ?? []);
        var ics = new Ical.Net.Calendar();
        ics.AddProperty("X-WR-CALNAME", t.Format("plan.heading", lifeEvent.Name.In(t.Language)));
        foreach (var item in plan.Items.Where(i => i.Deadline is not null))
        {
            var d = item.Deadline!.Value;
            var place = item.PlaceKnown ? catalog.OfficeName(item.Procedure.Office, t.Language) : null;
            ics.Events.Add(new Ical.Net.CalendarComponents.CalendarEvent
            {
                Uid = $"{item.Entry.Slug}.{Iso(plan.EventDate)}.{id}@madoguchi",
                Summary = t.Format("plan.ics.summary", item.Procedure.Name.In(t.Language)),
                Description = string.Join("\n", new[] { item.Rule?.Describe(t), catalog.DepartmentName(item.Procedure.Department, t.Language), item.Procedure.Counter }.Where(s => !string.IsNullOrEmpty(s))),
                Location = place,
                DtStart = new Ical.Net.DataTypes.CalDateTime(d.Year, d.Month, d.Day),
                DtEnd = new Ical.Net.DataTypes.CalDateTime(d.AddDays(1).Year, d.AddDays(1).Month, d.AddDays(1).Day),
            });
        }
        var text = new Ical.Net.Serialization.CalendarSerializer().SerializeToString(ics) ?? "";
        return Results.File(System.Text.Encoding.UTF8.GetBytes(text), "text/calendar; charset=utf-8", $"madoguchi-{id}-{Iso(plan.EventDate)}.ics");
    }

    public sealed record LifeEventSummary(string Id, string Name);
    public sealed record OptionView(string Value, string Label);
    public sealed record QuestionView(string Key, string Text, string Type, IReadOnlyList<OptionView> Options, string? When);
    public sealed record LifeEventView(string Id, string Name, string DateLabel, IReadOnlyList<QuestionView> Questions);

    private static async Task<Ok<LifeEventSummary[]>> ListAsync(CatalogIndex index, Ui t, CancellationToken ct)
    {
        var catalog = await index.GetAsync(ct);
        return TypedResults.Ok(catalog.LifeEvents.Select(e => new LifeEventSummary(e.Id, e.Content.Name.In(t.Language))).ToArray());
    }

    private static async Task<Results<Ok<LifeEventView>, NotFound>> GetAsync(string id, CatalogIndex index, Ui t, CancellationToken ct)
    {
        var catalog = await index.GetAsync(ct);
        if (catalog.LifeEvent(id) is not { } lifeEvent)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new LifeEventView(id, lifeEvent.Name.In(t.Language), lifeEvent.DateLabel.In(t.Language),
            [.. lifeEvent.Questions.Select(q => new QuestionView(q.Key, q.Text.In(t.Language), q.Type, OptionsOf(q, t), q.When))]));
    }

    /// <summary>The choices as shown, ending with 「わからない」, which every choice question accepts.</summary>
    public static IReadOnlyList<OptionView> OptionsOf(Question q, Ui t) =>
        q.Type == Question.Choice ? [.. q.Choices.Select(o => new OptionView(o.Value, o.Label.In(t.Language))), new OptionView(Question.Unknown, t["guide.unknown"])] : [];

    public sealed record PlanItemView(string Slug, string Name, string Status, string? Deadline, string DeadlineText, string Department, string? Office, IReadOnlyList<string> Channels, IReadOnlyList<string> Bring, string? OnlineUrl);
    public sealed record VisitView(string Place, string Name, string? Deadline, IReadOnlyList<string> Items);
    public sealed record PlanView(string EventDate, string? Ward, IReadOnlyList<PlanItemView> Items, IReadOnlyList<string> Bring, IReadOnlyList<VisitView> Visits);

    private static async Task<Results<Ok<PlanView>, NotFound, ValidationProblem>> PlanAsync(string id, PlanRequest request, CatalogIndex index, CityCalendar calendar, Ui t, CancellationToken ct)
    {
        var catalog = await index.GetAsync(ct);
        if (catalog.LifeEvent(id) is not { } lifeEvent)
        {
            return TypedResults.NotFound();
        }
        var problems = request.Validate(lifeEvent, catalog, t, out var eventDate);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }
        var plan = Planner.Build(catalog, calendar, id, lifeEvent, eventDate, request.Ward, request.Answers ?? []);
        return TypedResults.Ok(ToView(catalog, plan, t));
    }

    private static string? Iso(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? OnlineUrl(CatalogEntry e) =>
        !e.Content.CanApplyOnline ? null : e.Content.Online?.Url ?? $"/apply/{Uri.EscapeDataString(e.Slug)}";

    public static PlanView ToView(CatalogSnapshot catalog, Plan plan, Ui t) => new(
        Iso(plan.EventDate)!,
        plan.Ward,
        [.. plan.Items.Select(i => new PlanItemView(
            i.Entry.Slug, i.Procedure.Name.In(t.Language), i.Status, Iso(i.Deadline), i.Rule?.Describe(t) ?? t["deadline.none"],
            catalog.DepartmentName(i.Procedure.Department, t.Language), i.PlaceKnown ? catalog.OfficeName(i.Procedure.Office, t.Language) : null,
            i.Procedure.Channels, [.. i.Procedure.Bring.Select(b => b.In(t.Language))], OnlineUrl(i.Entry)))],
        [.. plan.Bring.Select(b => b.In(t.Language))],
        [.. plan.Visits.Select(v => new VisitView(v.Place, v.Name.In(t.Language), Iso(v.Deadline), [.. v.Items.Select(i => i.Entry.Slug)]))]);
}
