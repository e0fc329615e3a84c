using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Madoguchi.Web.Features.Forms;

public static class FormsSetup
{
    public static IHostApplicationBuilder AddForms(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FormVersions>();
        builder.Services.AddScoped<IDemoSeeder, FormsSeed>();
        return builder;
    }

    public static WebApplication MapForms(this WebApplication app)
    {
        app.MapGroup("/api/v1/forms").WithTags("Forms").MapGet("/{slug}", GetAsync);
        return app;
    }

    public sealed record FormView(string Slug, int Version, FormDefinition Definition);

    /// <summary>The published definition of a form: what a client needs to build the data of <c>POST /api/v1/applications</c>.</summary>
    private static async Task<Results<Ok<FormView>, NotFound>> GetAsync(string slug, CatalogIndex index, CancellationToken ct) =>
        (await index.GetAsync(ct)).Forms.TryGetValue(slug, out var form)
            ? TypedResults.Ok(new FormView(form.Slug, form.Version, form.Definition))
            : TypedResults.NotFound();
}

/// <summary>Publishes the demo forms as version 1. Safe to run again.</summary>
public sealed class FormsSeed : IDemoSeeder
{
    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDb>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var existing = await db.CatalogDocuments.Where(d => d.Kind == CatalogDocument.Form).Select(d => d.Key).ToListAsync(ct);
        foreach (var (slug, form) in DemoForms.All.Where(f => !existing.Contains(f.Slug)))
        {
            db.CatalogDocuments.Add(new CatalogDocument
            {
                Kind = CatalogDocument.Form, Key = slug, Version = 1, State = DocumentState.Published, Body = CatalogDocument.Write(form),
                Author = CatalogSeed.Actor, CreatedAt = now, UpdatedAt = now, PublishedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        await services.GetRequiredService<CatalogIndex>().RefreshAsync(ct);
    }
}
