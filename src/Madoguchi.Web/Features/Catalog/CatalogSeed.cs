using Madoguchi.Web.Features.Guide;
using Madoguchi.Web.Platform;

namespace Madoguchi.Web.Features.Catalog;

/// <summary>Puts the demo catalogue in place as published version 1 of each document. Safe to run again.</summary>
public sealed class CatalogSeed : IDemoSeeder
{
    public const string Actor = "system:demo-seed";

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDb>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

        var offices = await db.Offices.Select(o => o.Id).ToListAsync(ct);
        db.Offices.AddRange(DemoCatalog.Offices().Where(o => !offices.Contains(o.Id)));
        var departments = await db.Departments.Select(d => d.Id).ToListAsync(ct);
        db.Departments.AddRange(DemoCatalog.Departments().Where(d => !departments.Contains(d.Id)));

        var existing = (await db.CatalogDocuments.Select(d => new { d.Kind, d.Key }).ToListAsync(ct)).Select(d => (d.Kind, d.Key)).ToHashSet();
        void Add<T>(string kind, string key, T content)
        {
            if (existing.Add((kind, key)))
            {
                db.CatalogDocuments.Add(new CatalogDocument
                {
                    Kind = kind, Key = key, Version = 1, State = DocumentState.Published, Body = CatalogDocument.Write(content),
                    Author = Actor, CreatedAt = now, UpdatedAt = now, PublishedAt = now,
                });
            }
        }
        foreach (var (slug, content) in DemoCatalog.Procedures())
        {
            Add(CatalogDocument.Procedure, slug, content);
        }
        foreach (var (id, content) in DemoGuide.LifeEvents())
        {
            Add(CatalogDocument.LifeEvent, id, content);
        }
        Add(CatalogDocument.Synonyms, CatalogDocument.SynonymsKey, DemoGuide.Synonyms());
        await db.SaveChangesAsync(ct);
    }
}
