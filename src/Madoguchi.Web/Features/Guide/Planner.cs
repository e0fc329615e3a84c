using System.Globalization;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Platform.Calendar;

namespace Madoguchi.Web.Features.Guide;

public static class PlanStatus
{
    public const string Required = "required";
    /// <summary>要確認: an answer was 「わからない」, or the item always needs the resident's own judgement.</summary>
    public const string Check = "check";
}

public sealed record PlanItem(CatalogEntry Entry, string Status, DateOnly? Deadline, DeadlineRule? Rule, bool PlaceKnown)
{
    public ProcedureContent Procedure => Entry.Content;
}

/// <summary>One trip (a ward office: its counters in order), or the things done online, or another body's office.</summary>
public sealed record Visit(string Place, Text Name, DateOnly? Deadline, IReadOnlyList<PlanItem> Items);

public sealed record Plan(string EventId, LifeEventContent Event, DateOnly EventDate, string? Ward, IReadOnlyList<PlanItem> Items, IReadOnlyList<Text> Bring, IReadOnlyList<Visit> Visits);

/// <summary>Turns a life event's answers into the resident's plan: which procedures, by when, where, with what.</summary>
public static class Planner
{
    public const string OnlinePlace = "online";

    public static Plan Build(CatalogSnapshot catalog, CityCalendar calendar, string eventId, LifeEventContent lifeEvent, DateOnly eventDate, string? ward, IReadOnlyDictionary<string, string> answers)
    {
        ward = catalog.IsWard(ward) ? ward : null;
        var chosen = new Dictionary<string, (Rule Rule, string Status)>();
        foreach (var rule in lifeEvent.Rules)
        {
            var truth = Condition.Evaluate(rule.When, answers);
            if (truth == Truth.False)
            {
                continue;
            }
            var status = rule.Check || truth == Truth.Unknown ? PlanStatus.Check : PlanStatus.Required;
            if (!chosen.TryGetValue(rule.Procedure, out var earlier) || (earlier.Status == PlanStatus.Check && status == PlanStatus.Required))
            {
                chosen[rule.Procedure] = (rule, status);
            }
        }

        var items = new List<PlanItem>();
        foreach (var (code, (rule, status)) in chosen)
        {
            if (catalog.ForWard(code, ward) is not { } entry)
            {
                continue;
            }
            var anchor = rule.Anchor is not null && DateOnly.TryParseExact(answers.GetValueOrDefault(rule.Anchor), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : eventDate;
            var deadlineRule = rule.Deadline ?? entry.Content.Deadline;
            items.Add(new PlanItem(entry, status, deadlineRule?.Compute(calendar, anchor), deadlineRule, ward is not null || !catalog.IsWard(entry.Content.Office)));
        }
        items = [.. items.OrderBy(i => i.Deadline ?? DateOnly.MaxValue).ThenBy(i => i.Procedure.VisitOrder).ThenBy(i => i.Entry.Slug, StringComparer.Ordinal)];

        var bring = items.SelectMany(i => i.Procedure.Bring).DistinctBy(b => b.Ja).ToList();
        var visits = items
            .GroupBy(i => PlaceOf(catalog, i))
            .Select(g => new Visit(
                g.Key,
                g.Key == OnlinePlace ? new Text("オンライン（来庁不要）", "Online (no visit needed)", "インターネットで できる（やくしょに いかなくて よい）")
                    : catalog.Offices.TryGetValue(g.Key, out var office) ? office.Names
                    : catalog.Departments.TryGetValue(g.Key, out var department) ? department.Names
                    : new Text("お住まいの区の区役所", "Your ward office", "すんで いる くの くやくしょ"),
                g.Min(i => i.Deadline),
                [.. g.OrderBy(i => i.Procedure.VisitOrder).ThenBy(i => i.Deadline ?? DateOnly.MaxValue)]))
            .OrderBy(v => v.Deadline ?? DateOnly.MaxValue)
            .ThenBy(v => v.Place == OnlinePlace ? 0 : 1)
            .ToList();
        return new Plan(eventId, lifeEvent, eventDate, ward, items, bring, visits);
    }

    /// <summary>Online items are done from home; the rest group by the office that handles them (a ward office unknown yet is "ward").</summary>
    private static string PlaceOf(CatalogSnapshot catalog, PlanItem item) =>
        item.Procedure.CanApplyOnline ? OnlinePlace
        : item.Procedure.Office is { } office ? (item.PlaceKnown ? office : "ward")
        : item.Procedure.Department;
}
