using Madoguchi.Web.Features.Guide;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Catalog;

public sealed class CatalogOptions
{
    /// <summary>How often each node checks whether another node published something (an edit is searchable everywhere within this).</summary>
    public double RefreshSeconds { get; set; } = 2;

    /// <summary>The city whose wards the offices are: a resident's ward is only taken from an address in this city.</summary>
    public string CityName { get; set; } = "みどり市";
}

/// <summary>
/// Holds the current <see cref="CatalogSnapshot"/>. A publish on this node rebuilds it at once; other nodes notice the
/// changed stamp (count and latest publication time of published documents) within <see cref="CatalogOptions.RefreshSeconds"/>.
/// </summary>
public sealed class CatalogIndex(IServiceScopeFactory scopes) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile CatalogSnapshot? current;

    public void Dispose() => gate.Dispose();

    public async ValueTask<CatalogSnapshot> GetAsync(CancellationToken ct) => current ?? await RefreshAsync(ct);

    public async Task<CatalogSnapshot> RefreshAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var stamp = await StampAsync(db, ct);
            if (current is { } snapshot && snapshot.Stamp == stamp)
            {
                return snapshot;
            }
            current = await LoadAsync(db, stamp, ct);
            return current;
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<string> StampAsync(AppDb db, CancellationToken ct)
    {
        var published = db.CatalogDocuments.Where(d => d.State == DocumentState.Published);
        var count = await published.CountAsync(ct);
        var latest = await published.MaxAsync(d => d.PublishedAt, ct);
        var places = await db.Offices.CountAsync(ct) + await db.Departments.CountAsync(ct);
        return $"{count}/{latest?.Ticks}/{places}";
    }

    private static async Task<CatalogSnapshot> LoadAsync(AppDb db, string stamp, CancellationToken ct)
    {
        var documents = await db.CatalogDocuments.AsNoTracking().Where(d => d.State == DocumentState.Published).ToListAsync(ct);
        var offices = await db.Offices.AsNoTracking().ToListAsync(ct);
        var departments = (await db.Departments.AsNoTracking().ToListAsync(ct)).ToDictionary(d => d.Id);
        var procedures = documents.Where(d => d.Kind == CatalogDocument.Procedure)
            .Select(d => new CatalogEntry(d.Key, d.Read<ProcedureContent>(), d.Version, d.PublishedAt ?? d.CreatedAt, departments));
        var lifeEvents = documents.Where(d => d.Kind == CatalogDocument.LifeEvent).Select(d => (d.Key, d.Read<LifeEventContent>()));
        var synonyms = documents.FirstOrDefault(d => d.Kind == CatalogDocument.Synonyms)?.Read<SynonymsContent>() ?? new SynonymsContent([]);
        var forms = documents.Where(d => d.Kind == CatalogDocument.Form).Select(d => new PublishedForm(d.Key, d.Version, d.Read<Forms.FormDefinition>()));
        return new CatalogSnapshot(procedures, offices, departments.Values, lifeEvents, synonyms, stamp, forms);
    }
}

/// <summary>Keeps this node's snapshot in step with what other nodes publish.</summary>
public sealed class CatalogRefresher(CatalogIndex index, IOptions<CatalogOptions> options, ILogger<CatalogRefresher> log) : Platform.PeriodicService(log)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(0.1, options.Value.RefreshSeconds));

    public override Task RunOnceAsync(CancellationToken ct) => index.RefreshAsync(ct);
}

/// <summary>Drafts, publication and history of catalogue documents. Every change is audit-logged.</summary>
public static class CatalogEditing
{
    public static Task<CatalogDocument?> CurrentAsync(AppDb db, string kind, string key, DocumentState state, CancellationToken ct) =>
        db.CatalogDocuments.Where(d => d.Kind == kind && d.Key == key && d.State == state).OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);

    public static Task<List<CatalogDocument>> HistoryAsync(AppDb db, string kind, string key, CancellationToken ct) =>
        db.CatalogDocuments.AsNoTracking().Where(d => d.Kind == kind && d.Key == key).OrderByDescending(d => d.Version).ToListAsync(ct);

    /// <summary>Stores the draft of a document: the existing draft is overwritten, otherwise a new version is started.</summary>
    public static Task<CatalogDocument> SaveDraftAsync<T>(AppDb db, TimeProvider clock, string actor, string kind, string key, T content, CancellationToken ct) =>
        SaveDraftBodyAsync(db, clock, actor, kind, key, CatalogDocument.Write(content), ct);

    private static async Task<CatalogDocument> SaveDraftBodyAsync(AppDb db, TimeProvider clock, string actor, string kind, string key, string body, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var draft = await CurrentAsync(db, kind, key, DocumentState.Draft, ct);
        if (draft is null)
        {
            var latest = await db.CatalogDocuments.Where(d => d.Kind == kind && d.Key == key).MaxAsync(d => (int?)d.Version, ct) ?? 0;
            draft = new CatalogDocument { Kind = kind, Key = key, Version = latest + 1, State = DocumentState.Draft, Body = body, Author = actor, CreatedAt = now, UpdatedAt = now };
            db.CatalogDocuments.Add(draft);
        }
        else
        {
            draft.Body = body;
            draft.Author = actor;
            draft.UpdatedAt = now;
        }
        db.Audit(clock, actor, "catalog.draft-saved", $"{kind}:{key}", $"version {draft.Version}");
        await db.SaveChangesAsync(ct);
        return draft;
    }

    /// <summary>Starts a draft from an older version (the draft in progress, if any, is replaced). False when there is no such version.</summary>
    public static async Task<bool> RestoreAsync(AppDb db, TimeProvider clock, string actor, string kind, string key, int version, CancellationToken ct)
    {
        var old = await db.CatalogDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.Kind == kind && d.Key == key && d.Version == version, ct);
        if (old is null)
        {
            return false;
        }
        await SaveDraftBodyAsync(db, clock, actor, kind, key, old.Body, ct);
        return true;
    }

    /// <summary>Publishes the draft; the version published before it becomes history. False when there is no draft.</summary>
    public static async Task<CatalogDocument?> PublishAsync(AppDb db, TimeProvider clock, CatalogIndex index, string actor, string kind, string key, CancellationToken ct)
    {
        var draft = await CurrentAsync(db, kind, key, DocumentState.Draft, ct);
        if (draft is null)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await db.CatalogDocuments.Where(d => d.Kind == kind && d.Key == key && d.State == DocumentState.Published)
            .ForEachAsync(d => d.State = DocumentState.Superseded, ct);
        draft.State = DocumentState.Published;
        draft.PublishedAt = now;
        draft.UpdatedAt = now;
        db.Audit(clock, actor, "catalog.published", $"{kind}:{key}", $"version {draft.Version}");
        await db.SaveChangesAsync(ct);
        await index.RefreshAsync(ct);
        return draft;
    }
}
