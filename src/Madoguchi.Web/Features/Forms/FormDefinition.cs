using Madoguchi.Web.Features.Catalog;

namespace Madoguchi.Web.Features.Forms;

/// <summary>
/// An application form as administrators design it, stored as a versioned document (kind "form", key = its slug).
/// A submission keeps the version it was filled in, so publishing a new version never changes an old application.
/// </summary>
public sealed record FormDefinition
{
    /// <summary>The legal procedure (catalogue code) the form files, e.g. "jido-teate"; one form serves every ward's item.</summary>
    public required string Procedure { get; init; }
    public required Text Title { get; init; }
    public Text? Intro { get; init; }
    /// <summary>"high" needs a My Number card sign-in; "low" accepts a local account.</summary>
    public string Assurance { get; init; } = "high";
    public required IReadOnlyList<FormPage> Pages { get; init; }
    /// <summary>The fee lines; empty means free.</summary>
    public IReadOnlyList<FeeLine> Fees { get; init; } = [];
    /// <summary>What the resident declares before submitting (「記載事項に相違ありません」).</summary>
    public Text? Declaration { get; init; }
    /// <summary>Rules checked before submit: when the condition holds over the answers, the application cannot be filed and the message says why.</summary>
    public IReadOnlyList<EligibilityRule> Eligibility { get; init; } = [];
    /// <summary>Days an untouched draft is kept; the resident is told before it expires.</summary>
    public int DraftDays { get; init; } = 30;

    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<FormField> AllFields => Pages.SelectMany(p => p.Fields);

    public FormField? Field(string key) => AllFields.FirstOrDefault(f => f.Key == key);
}

public sealed record FormPage(string Key, Text Title, IReadOnlyList<FormField> Fields, string? When = null);

public sealed record FieldChoice(string Value, Text Label);

/// <summary>
/// One question. <see cref="Bind"/> names a profile path (see <see cref="ProfileBinding"/>) that pre-fills it;
/// <see cref="When"/> shows it only when a condition over earlier answers holds (same syntax as the guide);
/// <see cref="Shared"/> marks questions that mean the same in several forms, so a bundle asks them once.
/// </summary>
public sealed record FormField(string Key, string Type, Text Label)
{
    public Text? Hint { get; init; }
    public bool Required { get; init; } = true;
    public IReadOnlyList<FieldChoice> Choices { get; init; } = [];
    public string? Bind { get; init; }
    public string? When { get; init; }
    public int? Min { get; init; }
    public int? Max { get; init; }
    public int? MaxLength { get; init; }
    /// <summary>The columns of a repeating group (household members …).</summary>
    public IReadOnlyList<FormField> Fields { get; init; } = [];
    public string? Shared { get; init; }
}

/// <summary>A fee: <see cref="Yen"/> once, or per unit counted by a number field (「1通300円」).</summary>
public sealed record FeeLine(Text Label, int Yen, string? PerField = null);

public sealed record EligibilityRule(string When, Text Message);

/// <summary>The kinds of question the renderer and the validator know.</summary>
public static class FieldType
{
    public const string Text = "text";
    public const string Kana = "kana";
    public const string Date = "date";
    public const string Number = "number";
    public const string YesNo = "yesno";
    public const string Choice = "choice";
    public const string Multi = "multi";
    public const string Address = "address";
    public const string Phone = "phone";
    public const string Email = "email";
    public const string Bank = "bank";
    public const string Person = "person";
    public const string Group = "group";
    public const string File = "file";
    public const string Declaration = "declaration";

    public static readonly IReadOnlyList<string> All = [Text, Kana, Date, Number, YesNo, Choice, Multi, Address, Phone, Email, Bank, Person, Group, File, Declaration];

    /// <summary>The parts of a compound answer, in input order.</summary>
    public static IReadOnlyList<string> Parts(string type) => type switch
    {
        Address => ["postal", "line", "building"],
        Bank => ["bank", "branch", "type", "number", "holder"],
        Person => ["name", "kana", "birthdate"],
        _ => [],
    };
}
