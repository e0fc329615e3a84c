using Madoguchi.Web.Platform.Calendar;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Madoguchi.Web.Platform;

/// <summary>Demo mode: built-in identity provider, demo personas, mail pickup page. Default in Development only; refused in Production.</summary>
public sealed record DemoMode(bool Enabled)
{
    /// <summary>Read from Demo:Enabled, defaulting to on in Development only; available before the container is built.</summary>
    public static bool IsEnabled(IHostApplicationBuilder builder) =>
        builder.Configuration.GetValue<bool?>("Demo:Enabled") ?? builder.Environment.IsDevelopment();
}

/// <summary>A feature's demo data. Demo mode runs every registered seeder at start, and the seed-demo verb runs them on request; each must be safe to run again.</summary>
public interface IDemoSeeder
{
    Task SeedAsync(IServiceProvider services, CancellationToken ct);
}

public static class PlatformSetup
{
    public static IHostApplicationBuilder AddPlatform(this IHostApplicationBuilder builder)
    {
        var demo = DemoMode.IsEnabled(builder);
        if (demo && builder.Environment.IsProduction())
        {
            throw new InvalidOperationException("Demo mode cannot be enabled in the Production environment (Demo:Enabled).");
        }
        builder.Services.AddSingleton(new DemoMode(demo));
        builder.Services.AddSingleton<TimeProvider>(new MicrosecondClock());
        builder.Services.Configure<CalendarOptions>(builder.Configuration.GetSection("Calendar"));
        builder.Services.AddSingleton<CityCalendar>();
        builder.Services.Configure<AuditOptions>(builder.Configuration.GetSection("Audit"));
        builder.Services.AddSingleton<AuditCheckpoints>();
        builder.Services.AddHostedService<AuditCheckpointWriter>();
        builder.Services.AddMemoryCache();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true;
            OpenApiAnswers.Add(o, Features.Applications.SubmissionLimit.Name);
        });
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        builder.Services.AddDataProtection()
            .SetApplicationName("madoguchi")
            .PersistKeysToDbContext<AppDb>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPlatform(this IEndpointRouteBuilder app)
    {
        // Liveness: the process answers. Readiness: the database answers too, and this node has seen no storage fault.
        app.MapHealthChecks("/healthz", new() { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks("/readyz", new() { Predicate = c => c.Tags.Contains("ready") }).DisableRateLimiting();
        app.MapOpenApi("/api/{documentName}/openapi.json");
        return app;
    }

    /// <summary>
    /// Checks the settings a city must give and the database's durability, then: demo mode migrates and seeds;
    /// otherwise pending migrations stop the start (run the migrate verb). Returns false with the reasons written to
    /// the error stream.
    /// </summary>
    public static async Task<bool> PrepareToServeAsync(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Madoguchi.Startup");
        var problems = new List<string>();
        if (app.Environment.IsProduction()
            && !(Uri.TryCreate(app.Configuration["PublicUrl"], UriKind.Absolute, out var publicUrl) && publicUrl.Scheme is "https" or "http"))
        {
            // Work done outside a resident's request (sweeps, staff decisions, webhooks) has no other way to know it.
            problems.Add("PublicUrl must be the site's address for residents (https://…): links in mail and the payment provider's return address are built from it.");
        }
        if (!string.IsNullOrEmpty(app.Configuration["Audit:CheckpointDirectory"]) && (app.Configuration["Audit:CheckpointKey"]?.Length ?? 0) < 32)
        {
            problems.Add("Audit:CheckpointKey must be a secret of at least 32 characters when Audit:CheckpointDirectory is set: it signs the audit checkpoints.");
        }
        try
        {
            if (app.Services.GetRequiredService<DemoMode>().Enabled)
            {
                await db.Database.MigrateAsync();
                await SeedDemoAsync(scope.ServiceProvider);
            }
            else
            {
                var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
                if (pending.Count > 0)
                {
                    problems.Add($"The database has {pending.Count} pending migration(s) ({string.Join(", ", pending)}). Run the 'migrate' verb first.");
                }
            }
            problems.AddRange(await Durability.ProblemsAsync(db));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            problems.Add($"The database could not be reached: {ex.Message}");
        }
        foreach (var problem in problems)
        {
            logger.LogCritical("Refusing to start: {Problem}", problem);
            await Console.Error.WriteLineAsync($"Madoguchi refuses to start: {problem}");
        }
        return problems.Count == 0;
    }

    public static async Task SeedDemoAsync(IServiceProvider services)
    {
        foreach (var seeder in services.GetServices<IDemoSeeder>())
        {
            await seeder.SeedAsync(services, CancellationToken.None);
        }
    }

    private sealed class DatabaseHealthCheck(AppDb db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("database unreachable");
    }

    private sealed class StorageHealthCheck(StorageFault fault) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(fault.Since is { } since
                ? HealthCheckResult.Unhealthy($"storage fault since {since:O} ({fault.Reason}): writes refused until restart")
                : HealthCheckResult.Healthy());
    }
}
