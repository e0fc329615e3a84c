using System.Globalization;
using System.Text;
using System.Text.Json;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Approvals;
using Madoguchi.Web.Features.Casework;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Insights;

public sealed class InsightsOptions
{
    /// <summary>Staff minutes one application takes per channel; hours saved are (paper − channel) × volume.</summary>
    public Dictionary<string, double> StandardMinutes { get; set; } = new() { ["paper"] = 20, ["counter"] = 12, ["online"] = 4 };
    public double TargetOnlineProcedures { get; set; } = 100;
    public double TargetElectronicApproval { get; set; } = 100;
    public double TargetHoursSavedPerYear { get; set; } = 100_000;
}

public sealed record ProcedureShare(string Procedure, string Name, int Online, int Total, double OnlineShare);

public sealed record Target(string Key, double Value, double Goal, double Progress);

/// <summary>The digital-city-hall figures, computed from the data of a period — never typed in.</summary>
public sealed record KpiReport(
    DateOnly From, DateOnly To, int Applications, int Online, double OnlineShare, IReadOnlyList<ProcedureShare> ByProcedure,
    int Procedures, int ProceduresOnline, double ProceduresOnlineShare, int Decided, int DecidedElectronically, double ElectronicApprovalRate,
    double? MedianProcessingDays, double? P90ProcessingDays, int Overdue, double HoursSaved, double HoursSavedPerYear,
    double? MedianWaitMinutes, int Tickets, IReadOnlyList<Target> Targets);

/// <summary>A month's figures kept as they were at the month's end.</summary>
public sealed class KpiSnapshot
{
    public required string Month { get; init; }
    public required string Report { get; init; }
    public required DateTime CreatedAt { get; init; }

    public KpiReport Read() => JsonSerializer.Deserialize<KpiReport>(Report, JsonSerializerOptions.Web)!;
}

internal sealed class KpiSnapshotConfiguration : IEntityTypeConfiguration<KpiSnapshot>
{
    public void Configure(EntityTypeBuilder<KpiSnapshot> snapshot)
    {
        snapshot.ToTable("kpi_snapshots");
        snapshot.HasKey(s => s.Month);
        snapshot.Property(s => s.Month).HasMaxLength(7);
    }
}

public sealed class Kpis(AppDb db, CatalogIndex index, CityCalendar calendar, IOptions<InsightsOptions> options)
{
    /// <summary>Figures for [from, to] in the city's days; overdue is as of today.</summary>
    public async Task<KpiReport> ComputeAsync(DateOnly from, DateOnly to, string language, CancellationToken ct)
    {
        var start = calendar.ToUtc(from, TimeOnly.MinValue);
        var end = calendar.ToUtc(to.AddDays(1), TimeOnly.MinValue);
        var submitted = db.Applications.AsNoTracking().Where(a => a.SubmittedAt >= start && a.SubmittedAt < end && CaseScope.Statuses.Contains(a.Status));
        var byChannel = await submitted.GroupBy(a => new { a.ProcedureCode, a.Channel }).Select(g => new { g.Key.ProcedureCode, g.Key.Channel, Count = g.Count() }).ToListAsync(ct);
        var catalog = await index.GetAsync(ct);
        var byProcedure = byChannel.GroupBy(c => c.ProcedureCode).Select(g =>
        {
            var online = g.Where(c => c.Channel == ApplicationChannel.Online).Sum(c => c.Count);
            var total = g.Sum(c => c.Count);
            return new ProcedureShare(g.Key, catalog.ByCode[g.Key].FirstOrDefault()?.Content.Name.In(language) ?? g.Key, online, total, Percent(online, total));
        }).OrderByDescending(p => p.Total).ToList();
        var applications = byChannel.Sum(c => c.Count);
        var onlineCount = byChannel.Where(c => c.Channel == ApplicationChannel.Online).Sum(c => c.Count);

        var cityProcedures = catalog.Procedures.Where(p => !(catalog.Departments.GetValueOrDefault(p.Content.Department)?.External ?? false))
            .GroupBy(p => p.Content.Code).Select(g => g.Any(p => p.Content.CanApplyOnline)).ToList();

        var decidedStatuses = new[] { ApplicationStatus.Approved, ApplicationStatus.Rejected, ApplicationStatus.Completed };
        var decidedCases = db.Applications.AsNoTracking().Where(a => decidedStatuses.Contains(a.Status) && a.UpdatedAt >= start && a.UpdatedAt < end);
        var decided = await decidedCases.CountAsync(ct);
        var electronic = await decidedCases.CountAsync(a => db.Decisions.Any(d => d.ApplicationId == a.Id && d.Status == DecisionStatus.Approved), ct);
        var durations = (await db.Decisions.AsNoTracking().Where(d => d.Status == DecisionStatus.Approved && d.DecidedAt >= start && d.DecidedAt < end)
                .Join(db.Applications, d => d.ApplicationId, a => a.Id, (d, a) => new { d.DecidedAt, a.SubmittedAt })
                .ToListAsync(ct))
            .Where(x => x.SubmittedAt is not null).Select(x => (x.DecidedAt!.Value - x.SubmittedAt!.Value).TotalDays).Order().ToList();
        var today = calendar.Today;
        var overdue = await db.Applications.CountAsync(a => CaseScope.Open.Contains(a.Status) && a.DueOn < today, ct);

        var minutes = options.Value.StandardMinutes;
        var paper = minutes.GetValueOrDefault(ApplicationChannel.Paper);
        var saved = byChannel.Sum(c => c.Count * Math.Max(0, paper - minutes.GetValueOrDefault(c.Channel, paper))) / 60;
        var days = Math.Max(1, to.DayNumber - from.DayNumber + 1);

        var waits = (await db.Tickets.AsNoTracking().Where(t => t.CreatedAt >= start && t.CreatedAt < end && t.CalledAt != null)
            .Select(t => new { t.CreatedAt, t.CalledAt }).ToListAsync(ct)).Select(t => (t.CalledAt!.Value - t.CreatedAt).TotalMinutes).Order().ToList();

        var proceduresOnline = cityProcedures.Count(online => online);
        var proceduresShare = Percent(proceduresOnline, cityProcedures.Count);
        var approvalRate = Percent(electronic, decided);
        var perYear = saved * 365 / days;
        var o = options.Value;
        return new KpiReport(
            from, to, applications, onlineCount, Percent(onlineCount, applications), byProcedure,
            cityProcedures.Count, proceduresOnline, proceduresShare, decided, electronic, approvalRate,
            Quantile(durations, 0.5), Quantile(durations, 0.9), overdue, Math.Round(saved, 1), Math.Round(perYear, 1),
            Quantile(waits, 0.5), waits.Count,
            [
                new Target("online-procedures", proceduresShare, o.TargetOnlineProcedures, Progress(proceduresShare, o.TargetOnlineProcedures)),
                new Target("electronic-approval", approvalRate, o.TargetElectronicApproval, Progress(approvalRate, o.TargetElectronicApproval)),
                new Target("hours-saved", Math.Round(perYear, 1), o.TargetHoursSavedPerYear, Progress(perYear, o.TargetHoursSavedPerYear)),
            ]);
    }

    public Task<KpiReport> LastYearAsync(string language, CancellationToken ct) => ComputeAsync(calendar.Today.AddDays(-364), calendar.Today, language, ct);

    public static string Csv(KpiReport r)
    {
        var csv = new StringBuilder("\uFEFFfigure,value\r\n");
        void Line(string key, object? value) => csv.Append(CultureInfo.InvariantCulture, $"{key},{value}\r\n");
        Line("from", r.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Line("to", r.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Line("applications", r.Applications);
        Line("online", r.Online);
        Line("online_share_percent", r.OnlineShare);
        Line("procedures", r.Procedures);
        Line("procedures_online", r.ProceduresOnline);
        Line("procedures_online_percent", r.ProceduresOnlineShare);
        Line("decided", r.Decided);
        Line("decided_electronically", r.DecidedElectronically);
        Line("electronic_approval_percent", r.ElectronicApprovalRate);
        Line("median_processing_days", r.MedianProcessingDays?.ToString("0.0", CultureInfo.InvariantCulture));
        Line("p90_processing_days", r.P90ProcessingDays?.ToString("0.0", CultureInfo.InvariantCulture));
        Line("overdue", r.Overdue);
        Line("hours_saved", r.HoursSaved);
        Line("hours_saved_per_year", r.HoursSavedPerYear);
        Line("median_wait_minutes", r.MedianWaitMinutes?.ToString("0.0", CultureInfo.InvariantCulture));
        foreach (var p in r.ByProcedure)
        {
            Line($"online_share_percent:{p.Procedure}", p.OnlineShare);
        }
        return csv.ToString();
    }

    private static double Percent(int part, int whole) => whole == 0 ? 0 : Math.Round(100.0 * part / whole, 1);

    private static double Progress(double value, double goal) => goal <= 0 ? 100 : Math.Round(Math.Min(100, 100 * value / goal), 1);

    private static double? Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)], 2);
}

/// <summary>Keeps each finished month's figures, so the trend survives later corrections to the data.</summary>
public sealed class MonthlySnapshots(IServiceScopeFactory scopes, CityCalendar calendar, TimeProvider clock, ILogger<MonthlySnapshots> log) : Platform.PeriodicService(log)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(6);

    public override async Task RunOnceAsync(CancellationToken ct)
    {
        var today = calendar.Today;
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var month = first.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        if (await db.KpiSnapshots.AnyAsync(s => s.Month == month, ct)) return;
        var report = await scope.ServiceProvider.GetRequiredService<Kpis>().ComputeAsync(first, first.AddMonths(1).AddDays(-1), Languages.Japanese, ct);
        db.KpiSnapshots.Add(new KpiSnapshot { Month = month, Report = JsonSerializer.Serialize(report, JsonSerializerOptions.Web), CreatedAt = clock.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node kept it first.
        }
    }
}

public static class InsightsSetup
{
    public static IHostApplicationBuilder AddInsights(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<InsightsOptions>(builder.Configuration.GetSection("Insights"));
        builder.Services.AddScoped<Kpis>();
        builder.Services.AddHostedService<MonthlySnapshots>();
        builder.Services.AddScoped<Platform.IDemoSeeder, DemoHistory>();
        return builder;
    }

    public static WebApplication MapInsights(this WebApplication app)
    {
        app.MapGet("/api/v1/insights/kpis", async (Kpis kpis, Ui t, CancellationToken ct) => TypedResults.Ok(await kpis.LastYearAsync(t.Language, ct)))
            .WithTags("Insights").RequireAuthorization(Policies.StaffApi);
        return app;
    }
}
