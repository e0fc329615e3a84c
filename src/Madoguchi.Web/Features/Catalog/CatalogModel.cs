using System.Text.Json;
using System.Text.Json.Serialization;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Catalog;

/// <summary>Text in the three interface languages; English and やさしい日本語 fall back to Japanese while a translation is missing.</summary>
public sealed record Text(string Ja, string? En = null, string? Easy = null)
{
    public string In(string language) => language switch
    {
        Languages.English => string.IsNullOrWhiteSpace(En) ? Ja : En,
        Languages.Easy => string.IsNullOrWhiteSpace(Easy) ? Ja : Easy,
        _ => Ja,
    };

    public IEnumerable<string> All() => new[] { Ja, En, Easy }.Where(t => !string.IsNullOrWhiteSpace(t))!;
}

/// <summary>
/// A deadline as data: counted from an anchor event in days or months, with or without the anchor day itself,
/// and moved to the next open day when it falls on a closed one (municipal filings do). No days and no months
/// means there is no fixed date (「すみやかに」, or no deadline at all); <see cref="Note"/> then says what applies.
/// </summary>
public sealed record DeadlineRule(string Anchor, int? Days = null, int? Months = null, bool FirstDayCounts = false, bool RollForward = true, Text? Note = null)
{
    public bool HasDate => Days is > 0 || Months is > 0;

    public DateOnly? Compute(CityCalendar calendar, DateOnly anchor)
    {
        if (!HasDate)
        {
            return null;
        }
        // Day 1 is the anchor day itself (戸籍法) or the day after it (民法140条, 初日不算入).
        var start = FirstDayCounts ? anchor : anchor.AddDays(1);
        DateOnly last;
        if (Months is > 0)
        {
            // 民法143条: the period ends the day before the day that corresponds to the start day;
            // when the last month has no such day, it ends on that month's last day.
            var target = start.AddMonths(Months.Value);
            last = target.Day == start.Day ? target.AddDays(-1) : target;
        }
        else
        {
            last = start.AddDays(Days!.Value - 1);
        }
        return RollForward ? calendar.NextOpenDay(last) : last;
    }

    /// <summary>「生まれた日を含めて14日以内（閉庁日なら次の開庁日まで）」 in the current language.</summary>
    public string Describe(Ui t)
    {
        var anchor = t["anchor." + Anchor];
        var text = (Days, Months) switch
        {
            (> 0, _) => t.Format(FirstDayCounts ? "deadline.days.first" : "deadline.days.after", anchor, Days!.Value),
            (_, > 0) => t.Format(FirstDayCounts ? "deadline.months.first" : "deadline.months.after", anchor, Months!.Value),
            _ => Note is null ? t["deadline.none"] : "",
        };
        if (HasDate && RollForward)
        {
            text += t["deadline.roll"];
        }
        return Note is null ? text : (text.Length == 0 ? Note.In(t.Language) : $"{text} {Note.In(t.Language)}");
    }
}

public sealed record Attachment(Text Label, Text? When = null);

/// <summary>What online filing needs: the sign-in assurance (high = My Number card), whether a fee is paid online, minutes it takes.</summary>
public sealed record OnlineFiling(string Assurance = "high", bool Payment = false, int Minutes = 10, string? Url = null);

/// <summary>
/// One legal procedure, as published: one per ward office where the wards handle it (slug ends with the ward),
/// one for the city where a central office does. Stored as a versioned document (<see cref="CatalogDocument"/>).
/// </summary>
public sealed record ProcedureContent
{
    /// <summary>The legal procedure shared by its per-ward items, e.g. "shussei-todoke".</summary>
    public required string Code { get; init; }
    /// <summary>The office that handles it; null for procedures outside the city (相続放棄 at the family court …).</summary>
    public string? Office { get; init; }
    public required Text Name { get; init; }
    public required Text Summary { get; init; }
    /// <summary>The name's reading in hiragana, so ひっこし-style queries find kanji names.</summary>
    public string Reading { get; init; } = "";
    /// <summary>National life-event vocabulary (行政手続等の棚卸調査): 妊娠, 出生・こども, 引越し, 結婚・離婚, 介護, 死亡・相続 …</summary>
    public IReadOnlyList<string> Events { get; init; } = [];
    public required string Department { get; init; }
    public string Counter { get; init; } = "";
    public string Phone { get; init; } = "";
    /// <summary>self, household, proxy (with a letter of attorney), funeral-home, heir, employer.</summary>
    public IReadOnlyList<string> Who { get; init; } = [];
    public DeadlineRule? Deadline { get; init; }
    /// <summary>What to bring; the plan merges these into one checklist by their Japanese text.</summary>
    public IReadOnlyList<Text> Bring { get; init; } = [];
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];
    /// <summary>online, counter, mail, konbini.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];
    public OnlineFiling? Online { get; init; }
    public int? FeeYen { get; init; }
    public Text? FeeNote { get; init; }
    public string LegalBasis { get; init; } = "";
    /// <summary>Standard processing period in open days; 0 = on the spot; null = varies.</summary>
    public int? ProcessingDays { get; init; }
    /// <summary>Order at the counters during one visit: 市民課 first, then insurance, then children's benefits.</summary>
    public int VisitOrder { get; init; } = 50;
    /// <summary>Codes of procedures usually done together.</summary>
    public IReadOnlyList<string> Related { get; init; } = [];
    /// <summary>The department that keeps this item up to date.</summary>
    public string Owner { get; init; } = "";

    public bool CanApplyOnline => Channels.Contains(Channel.Online);
}

public static class Channel
{
    public const string Online = "online";
    public const string Counter = "counter";
    public const string Mail = "mail";
    public const string Konbini = "konbini";
    public static readonly IReadOnlyList<string> All = [Online, Counter, Mail, Konbini];
}

/// <summary>Residents' words mapped to official terms: 「ひっこし」 finds 転入届, 転出届 and 転居届.</summary>
public sealed record SynonymEntry(IReadOnlyList<string> Words, IReadOnlyList<string> Terms);

public sealed record SynonymsContent(IReadOnlyList<SynonymEntry> Entries);

public enum DocumentState { Draft, Published, Superseded }

/// <summary>
/// Everything administrators edit in the catalogue — procedures, life events with their questions and rules, the
/// synonym list — is a versioned JSON document: a draft, at most one published version, and the history before it.
/// </summary>
public sealed class CatalogDocument
{
    public const string Procedure = "procedure";
    public const string LifeEvent = "life-event";
    public const string Synonyms = "synonyms";
    public const string Form = "form";
    public const string SynonymsKey = "default";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Kind { get; init; }
    public required string Key { get; init; }
    public required int Version { get; init; }
    public DocumentState State { get; set; }
    public required string Body { get; set; }
    public required string Author { get; set; }
    public required DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? PublishedAt { get; set; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public T Read<T>() => JsonSerializer.Deserialize<T>(Body, Json)!;
    public static string Write<T>(T content) => JsonSerializer.Serialize(content, Json);
}

internal sealed class CatalogDocumentConfiguration : IEntityTypeConfiguration<CatalogDocument>
{
    public void Configure(EntityTypeBuilder<CatalogDocument> document)
    {
        document.ToTable("catalog_documents");
        document.HasIndex(d => new { d.Kind, d.Key, d.Version }).IsUnique();
        document.HasIndex(d => new { d.State, d.Kind });
        document.Property(d => d.Kind).HasMaxLength(20);
        document.Property(d => d.Key).HasMaxLength(100);
        document.Property(d => d.State).HasConversion<string>().HasMaxLength(12);
        document.Property(d => d.Author).HasMaxLength(120);
    }
}

/// <summary>A department (課) of the city; offices have its counter.</summary>
public sealed class Department
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string NameEn { get; set; } = "";
    public string NameEasy { get; set; } = "";
    /// <summary>True for bodies outside the city (年金事務所, 家庭裁判所 …), shown as 「市役所以外の手続き」.</summary>
    public bool External { get; set; }

    public Text Names => new(Name, NameEn, NameEasy);
}

internal sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> department)
    {
        department.ToTable("departments");
        department.Property(d => d.Id).HasMaxLength(40);
        department.Property(d => d.Name).HasMaxLength(100);
        department.Property(d => d.NameEn).HasMaxLength(100);
        department.Property(d => d.NameEasy).HasMaxLength(100);
        department.Ignore(d => d.Names);
    }
}

/// <summary>A ward office, branch or other place residents go to. Counters and queues build on it.</summary>
public sealed class Office
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string NameEn { get; set; } = "";
    public string NameEasy { get; set; } = "";
    /// <summary>ward (a 区役所), cityhall, center (a city-wide office), external (not the city's).</summary>
    public required string Kind { get; set; }
    public string Address { get; set; } = "";
    public string Phone { get; set; } = "";
    public int Order { get; set; }

    public Text Names => new(Name, NameEn, NameEasy);
}

internal sealed class OfficeConfiguration : IEntityTypeConfiguration<Office>
{
    public void Configure(EntityTypeBuilder<Office> office)
    {
        office.ToTable("offices");
        office.Property(o => o.Id).HasMaxLength(40);
        office.Property(o => o.Name).HasMaxLength(100);
        office.Property(o => o.NameEn).HasMaxLength(100);
        office.Property(o => o.NameEasy).HasMaxLength(100);
        office.Property(o => o.Kind).HasMaxLength(20);
        office.Property(o => o.Address).HasMaxLength(200);
        office.Property(o => o.Phone).HasMaxLength(20);
        office.Ignore(o => o.Names);
    }
}
