using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Microsoft.Extensions.Primitives;

namespace Madoguchi.Web.Features.Guide;

/// <summary>
/// The questionnaire keeps its state in plain form fields (eventDate, ward and one field per question), so every
/// step is a GET that works without JavaScript and a plan can be bookmarked, printed or saved.
/// </summary>
public static class GuideQuery
{
    public const string EventDate = "eventDate";

    public static PlanRequest Read(IEnumerable<KeyValuePair<string, StringValues>> fields, LifeEventContent lifeEvent)
    {
        var values = fields.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var answers = lifeEvent.Questions
            .Where(q => values.TryGetValue(q.Key, out var v) && v.Length > 0)
            .ToDictionary(q => q.Key, q => values[q.Key].Trim());
        return new PlanRequest(values.GetValueOrDefault(EventDate), values.GetValueOrDefault(PlanRequest.WardKey), answers);
    }

    /// <summary>The query string that carries a request to the next step, the plan or the calendar file.</summary>
    public static string ToQuery(PlanRequest request, params (string Key, string Value)[] extra)
    {
        var pairs = new List<KeyValuePair<string, string?>>
        {
            new(EventDate, request.EventDate),
            new(PlanRequest.WardKey, request.Ward),
        };
        pairs.AddRange((request.Answers ?? []).Select(a => new KeyValuePair<string, string?>(a.Key, a.Value)));
        pairs.AddRange(extra.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)));
        return Microsoft.AspNetCore.Http.QueryString.Create(pairs.Where(p => !string.IsNullOrEmpty(p.Value))).ToString();
    }

    /// <summary>The ward office a signed-in resident belongs to, from the ward in their address (「北区」 → kita).</summary>
    public static string? WardOf(Resident resident, CatalogSnapshot catalog, string cityName) =>
        resident.Ward.Length == 0 || resident.City != cityName ? null : catalog.Wards.FirstOrDefault(w => w.Name.StartsWith(resident.Ward, StringComparison.Ordinal))?.Id;

    /// <summary>
    /// Answers the household record already gives (書かない): children's ages, how many remain in the household,
    /// whether older children already bring child allowance. The resident can change every one of them.
    /// </summary>
    public static Dictionary<string, string> FromHousehold(Resident resident, LifeEventContent lifeEvent, DateOnly eventDate)
    {
        var children = resident.Household.Where(m => m.Relationship == "child" && m.BirthDate is not null).Select(m => m.BirthDate!.Value).ToList();
        int Age(DateOnly birth) => eventDate.Year - birth.Year - (eventDate < birth.AddYears(eventDate.Year - birth.Year) ? 1 : 0);
        var preschool = children.Any(b => b <= eventDate && Age(b) < 6);
        var school = children.Any(b => Age(b) is >= 6 and <= 15);
        var known = new Dictionary<string, string>
        {
            ["children"] = (preschool, school) switch { (true, true) => "both", (true, false) => "preschool", (false, true) => "school", _ => "none" },
            ["childAllowance"] = children.Any(b => b < eventDate && Age(b) < 18) ? "existing" : "new",
            ["remainingMembers"] = resident.Household.Count switch { 0 => "0", 1 => "1", _ => "2+" },
            ["foreignMember"] = resident.ResidenceCardHolder ? "yes" : "no",
        };
        return known.Where(k => lifeEvent.Questions.Any(q => q.Key == k.Key)).ToDictionary();
    }
}
