using System.Globalization;
using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Forms;

namespace Madoguchi.Web.Features.Applications;

/// <summary>
/// Fills a new application from what the city already knows (書かない): the profile, the household and a saved bank
/// account. A field binds to a path — name, kana, birthdate, phone, email, address, self, spouse, youngest-child,
/// children, household, bank — and a group's columns bind to a member's name, kana, birthdate or relationship.
/// What came from the My Number card (基本4情報) is locked: shown, never editable, and enforced again on submit.
/// </summary>
public static class Prefill
{
    public static readonly IReadOnlyList<string> Paths = ["name", "kana", "birthdate", "phone", "email", "address", "self", "spouse", "youngest-child", "children", "household", "bank"];

    public sealed record Result(JsonObject Data, List<string> Prefilled, List<string> Locked);

    public static Result From(FormDefinition form, Resident resident, JsonObject? bank)
    {
        var data = new JsonObject();
        var prefilled = new List<string>();
        var locked = new List<string>();
        foreach (var field in form.AllFields.Where(f => f.Bind is not null))
        {
            var (value, verified) = Value(field, resident, bank);
            if (value is null)
            {
                continue;
            }
            data[field.Key] = value;
            prefilled.Add(field.Key);
            if (verified)
            {
                locked.Add(field.Key);
            }
        }
        return new Result(data, prefilled, locked);
    }

    /// <summary>Puts the locked answers back as the profile has them, whatever was posted.</summary>
    public static void Enforce(FormDefinition form, Application application, Resident? resident, JsonObject answers)
    {
        if (resident is null || application.Locked.Count == 0)
        {
            return;
        }
        foreach (var field in form.AllFields.Where(f => application.Locked.Contains(f.Key)))
        {
            if (Value(field, resident, null) is ({ } value, true))
            {
                answers[field.Key] = value;
            }
        }
    }

    private static (JsonNode? Value, bool Verified) Value(FormField field, Resident r, JsonObject? bank)
    {
        var members = r.Household.OrderBy(m => m.BirthDate ?? DateOnly.MaxValue).ToList();
        return field.Bind switch
        {
            "name" => (Str(r.Name), r.IsVerified(ProfileFields.Name)),
            "kana" => (Str(r.NameKana), false),
            "birthdate" => (Str(Iso(r.BirthDate)), r.IsVerified(ProfileFields.BirthDate)),
            "phone" => (Str(r.Phone), false),
            "email" => (Str(r.Email), false),
            "address" when field.Type == FieldType.Address && r.PostalCode.Length > 0 => (new JsonObject
            {
                ["postal"] = r.PostalCode,
                ["line"] = string.Concat(r.Prefecture, r.City, r.Ward, r.Town, r.Block),
                ["building"] = r.Building.Length > 0 ? r.Building : null,
            }, r.IsVerified(ProfileFields.Address)),
            "address" => (Str(r.AddressLine), r.IsVerified(ProfileFields.Address)),
            "self" => (Person(r.Name, r.NameKana, r.BirthDate), r.IsVerified(ProfileFields.Name) && r.IsVerified(ProfileFields.BirthDate)),
            "spouse" => (members.FirstOrDefault(m => m.Relationship == "spouse") is { } s ? Person(s.Name, s.NameKana, s.BirthDate) : null, false),
            "youngest-child" => (members.LastOrDefault(m => m.Relationship == "child") is { } c ? Person(c.Name, c.NameKana, c.BirthDate) : null, false),
            "children" => (Rows(field, members.Where(m => m.Relationship == "child")), false),
            "household" => (Rows(field, members), false),
            "bank" => (bank?.DeepClone(), false),
            _ => (null, false),
        };
    }

    private static JsonArray? Rows(FormField group, IEnumerable<HouseholdMember> members)
    {
        var rows = new JsonArray();
        foreach (var member in members)
        {
            var row = new JsonObject();
            foreach (var column in group.Fields)
            {
                row[column.Key] = column.Bind switch
                {
                    "name" => Str(member.Name),
                    "kana" => Str(member.NameKana),
                    "birthdate" => Str(Iso(member.BirthDate)),
                    "relationship" when column.Choices.Any(c => c.Value == member.Relationship) => member.Relationship,
                    "self" => Person(member.Name, member.NameKana, member.BirthDate),
                    _ => null,
                };
            }
            rows.Add(row);
        }
        return rows.Count == 0 ? null : rows;
    }

    private static JsonObject Person(string name, string kana, DateOnly? birthDate) => new()
    {
        ["name"] = Str(name),
        ["kana"] = Str(kana),
        ["birthdate"] = Str(Iso(birthDate)),
    };

    private static JsonValue? Str(string? s) => string.IsNullOrWhiteSpace(s) ? null : JsonValue.Create(s);

    private static string? Iso(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
