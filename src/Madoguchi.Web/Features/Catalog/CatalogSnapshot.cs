using Madoguchi.Web.Features.Guide;
using Madoguchi.Web.Platform.Text;

namespace Madoguchi.Web.Features.Catalog;

/// <summary>One published procedure with its text folded once for search.</summary>
public sealed class CatalogEntry
{
    public CatalogEntry(string slug, ProcedureContent content, int version, DateTime publishedAt, IReadOnlyDictionary<string, Department> departments)
    {
        Slug = slug;
        Content = content;
        Version = version;
        PublishedAt = publishedAt;
        Name = JapaneseText.Fold(content.Name.Ja);
        Names = [.. content.Name.All().Select(JapaneseText.Fold)];
        Reading = JapaneseText.Fold(content.Reading);
        var department = departments.GetValueOrDefault(content.Department);
        // Every searchable field, folded and separated so that no match spans two fields.
        Searchable = string.Join('\n', new[]
        {
            string.Join('\n', content.Name.All()), content.Reading, string.Join('\n', content.Summary.All()),
            department is null ? content.Department : string.Join('\n', department.Names.All()), string.Join('\n', content.Events),
        }.Select(JapaneseText.Fold));
    }

    public string Slug { get; }
    public ProcedureContent Content { get; }
    public int Version { get; }
    public DateTime PublishedAt { get; }
    public string Name { get; }
    public IReadOnlyList<string> Names { get; }
    public string Reading { get; }
    public string Searchable { get; }
}

public sealed record PublishedForm(string Slug, int Version, Forms.FormDefinition Definition);

public sealed record SearchResult(int Total, IReadOnlyList<CatalogEntry> Items, bool Fuzzy);

/// <summary>
/// The published catalogue, immutable, held in memory and swapped whole when something is published.
/// Search is exact substring matching over folded text (so recall for one- and two-character words is complete by
/// construction), residents' words expanded through the synonym list, and an edit-distance fallback for typos.
/// </summary>
public sealed class CatalogSnapshot
{
    public CatalogSnapshot(
        IEnumerable<CatalogEntry> procedures, IEnumerable<Office> offices, IEnumerable<Department> departments,
        IEnumerable<(string Id, LifeEventContent Content)> lifeEvents, SynonymsContent synonyms, string stamp, IEnumerable<PublishedForm>? forms = null)
    {
        Forms = (forms ?? []).ToDictionary(f => f.Slug);
        FormsByProcedure = Forms.Values.GroupBy(f => f.Definition.Procedure).ToDictionary(g => g.Key, g => g.OrderBy(f => f.Slug, StringComparer.Ordinal).First());
        Procedures = [.. procedures.OrderBy(p => p.Content.VisitOrder).ThenBy(p => p.Slug, StringComparer.Ordinal)];
        BySlug = Procedures.ToDictionary(p => p.Slug);
        ByCode = Procedures.ToLookup(p => p.Content.Code);
        Offices = offices.OrderBy(o => o.Order).ToDictionary(o => o.Id);
        Departments = departments.ToDictionary(d => d.Id);
        LifeEvents = [.. lifeEvents.OrderBy(e => e.Content.Order)];
        Synonyms = [.. synonyms.Entries.Select(e => (Words: e.Words.Select(JapaneseText.Fold).Where(w => w.Length > 0).ToArray(), Terms: e.Terms.Select(JapaneseText.Fold).Where(t => t.Length > 0).ToArray()))];
        SynonymList = synonyms;
        Stamp = stamp;
    }

    public IReadOnlyList<CatalogEntry> Procedures { get; }
    public IReadOnlyDictionary<string, CatalogEntry> BySlug { get; }
    public ILookup<string, CatalogEntry> ByCode { get; }
    public IReadOnlyDictionary<string, Office> Offices { get; }
    public IReadOnlyDictionary<string, Department> Departments { get; }
    public IReadOnlyList<(string Id, LifeEventContent Content)> LifeEvents { get; }
    public SynonymsContent SynonymList { get; }
    public string Stamp { get; }
    /// <summary>The published application forms by slug, and the one that files each procedure code.</summary>
    public IReadOnlyDictionary<string, PublishedForm> Forms { get; }
    public IReadOnlyDictionary<string, PublishedForm> FormsByProcedure { get; }
    private IReadOnlyList<(string[] Words, string[] Terms)> Synonyms { get; }

    public IEnumerable<Office> Wards => Offices.Values.Where(o => o.Kind == "ward");

    public LifeEventContent? LifeEvent(string id) => LifeEvents.FirstOrDefault(e => e.Id == id).Content;

    public string DepartmentName(string id, string language) => Departments.TryGetValue(id, out var d) ? d.Names.In(language) : id;

    public string? OfficeName(string? id, string language) => id is not null && Offices.TryGetValue(id, out var o) ? o.Names.In(language) : null;

    /// <summary>The item of a procedure for a ward: that ward's own, else the city-wide one, else any (its place then unknown).</summary>
    public CatalogEntry? ForWard(string code, string? ward)
    {
        var items = ByCode[code].ToList();
        return items.FirstOrDefault(i => i.Content.Office == ward)
            ?? items.FirstOrDefault(i => i.Content.Office is null || !IsWard(i.Content.Office))
            ?? items.FirstOrDefault();
    }

    public bool IsWard(string? officeId) => officeId is not null && Offices.TryGetValue(officeId, out var o) && o.Kind == "ward";

    public SearchResult Search(string? query, int limit, string? office = null)
    {
        var folded = JapaneseText.Fold(query);
        if (folded.Length == 0)
        {
            return new SearchResult(0, [], false);
        }
        var tokens = folded.Split((char[])[' ', '\t', '　'], StringSplitOptions.RemoveEmptyEntries);
        var terms = Synonyms.Where(s => s.Words.Any(w => folded.Contains(w, StringComparison.Ordinal) || (folded.Length >= 2 && w.StartsWith(folded, StringComparison.Ordinal))))
            .SelectMany(s => s.Terms).Distinct().ToArray();
        // A token no procedure contains is probably mistyped: it may then match approximately.
        var pool = office is null ? Procedures : Procedures.Where(p => p.Content.Office == office || !IsWard(p.Content.Office)).ToList();
        var typos = tokens.Where(t => t.Length >= 3 && !pool.Any(p => p.Searchable.Contains(t, StringComparison.Ordinal))).ToHashSet();

        var scored = new List<(CatalogEntry Entry, int Score)>();
        var fuzzy = false;
        foreach (var entry in pool)
        {
            var score = 0;
            var all = true;
            foreach (var token in tokens)
            {
                var s = ExactScore(entry, token);
                if (s == 0 && typos.Contains(token))
                {
                    s = FuzzyScore(entry, token);
                    fuzzy |= s > 0;
                }
                if (s == 0)
                {
                    all = false;
                    break;
                }
                score += s;
            }
            if (!all)
            {
                score = 0;
            }
            foreach (var term in terms)
            {
                if (entry.Name.Contains(term, StringComparison.Ordinal))
                {
                    score = Math.Max(score, entry.Name.StartsWith(term, StringComparison.Ordinal) ? 35 : 30);
                }
            }
            if (score > 0)
            {
                scored.Add((entry, score));
            }
        }
        var ordered = scored
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Entry.Content.Name.Ja.Length)
            .ThenBy(s => s.Entry.Content.Code, StringComparer.Ordinal)
            .ThenBy(s => Offices.TryGetValue(s.Entry.Content.Office ?? "", out var o) ? o.Order : 0)
            .Take(limit)
            .Select(s => s.Entry)
            .ToList();
        return new SearchResult(scored.Count, ordered, fuzzy);
    }

    private static int ExactScore(CatalogEntry entry, string token)
    {
        foreach (var name in entry.Names)
        {
            if (name == token) return 100;
        }
        foreach (var name in entry.Names)
        {
            if (name.StartsWith(token, StringComparison.Ordinal)) return 70;
        }
        foreach (var name in entry.Names)
        {
            if (name.Contains(token, StringComparison.Ordinal)) return 50;
        }
        if (entry.Reading.Contains(token, StringComparison.Ordinal)) return 40;
        return entry.Searchable.Contains(token, StringComparison.Ordinal) ? 10 : 0;
    }

    /// <summary>Near matches in the name or its reading: one edit for short words, two from seven characters.</summary>
    private static int FuzzyScore(CatalogEntry entry, string token)
    {
        var allowed = token.Length >= 7 ? 2 : 1;
        var best = Math.Min(EditDistance.ToAnySubstring(token, entry.Name), EditDistance.ToAnySubstring(token, entry.Reading));
        return best <= allowed ? 8 - best : 0;
    }
}
