namespace Madoguchi.Web.Features.Catalog.Staff;

/// <summary>The procedure editor's form: flat fields and line lists, converted to and from <see cref="ProcedureContent"/>.</summary>
public sealed class ProcedureInput
{
    public string? Code { get; set; } = "";
    public string? Office { get; set; }
    public string? NameJa { get; set; } = "";
    public string? NameEn { get; set; }
    public string? NameEasy { get; set; }
    public string? Reading { get; set; }
    public string? SummaryJa { get; set; } = "";
    public string? SummaryEn { get; set; }
    public string? SummaryEasy { get; set; }
    public List<string> Events { get; set; } = [];
    public string? Department { get; set; } = "";
    public string? Counter { get; set; }
    public string? Phone { get; set; }
    public List<string> Who { get; set; } = [];
    public string? DeadlineAnchor { get; set; }
    public int? DeadlineDays { get; set; }
    public int? DeadlineMonths { get; set; }
    public bool DeadlineFirstDayCounts { get; set; }
    public bool DeadlineRollForward { get; set; } = true;
    public string? DeadlineNote { get; set; }
    public string? Bring { get; set; }
    public string? Attachments { get; set; }
    public List<string> Channels { get; set; } = [];
    public string? OnlineAssurance { get; set; }
    public bool OnlinePayment { get; set; }
    public int? OnlineMinutes { get; set; }
    public string? OnlineUrl { get; set; }
    public int? FeeYen { get; set; }
    public string? FeeNote { get; set; }
    public string? LegalBasis { get; set; }
    public int? ProcessingDays { get; set; }
    public int VisitOrder { get; set; } = 50;
    public string? Related { get; set; }
    public string? Owner { get; set; }

    public static readonly IReadOnlyList<string> NationalEvents =
        ["妊娠", "出生・こども", "引越し", "就職・転職", "結婚・離婚", "自動車の購入・保有", "住宅の購入・保有", "介護", "医療・健康", "税金", "年金の受給", "死亡・相続", "その他"];

    public static readonly IReadOnlyList<string> Anchors = ["move", "change", "birth", "birth-or-moveout", "death", "death-known", "funeral"];

    public static readonly IReadOnlyList<string> WhoValues = ["self", "household", "proxy", "parent", "relative", "funeral-home", "couple", "heir", "employer"];

    public static ProcedureInput From(ProcedureContent c) => new()
    {
        Code = c.Code,
        Office = c.Office,
        NameJa = c.Name.Ja,
        NameEn = c.Name.En,
        NameEasy = c.Name.Easy,
        Reading = c.Reading,
        SummaryJa = c.Summary.Ja,
        SummaryEn = c.Summary.En,
        SummaryEasy = c.Summary.Easy,
        Events = [.. c.Events],
        Department = c.Department,
        Counter = c.Counter,
        Phone = c.Phone,
        Who = [.. c.Who],
        DeadlineAnchor = c.Deadline?.Anchor,
        DeadlineDays = c.Deadline?.Days,
        DeadlineMonths = c.Deadline?.Months,
        DeadlineFirstDayCounts = c.Deadline?.FirstDayCounts ?? false,
        DeadlineRollForward = c.Deadline?.RollForward ?? true,
        DeadlineNote = Lines.FromText(c.Deadline?.Note),
        Bring = Lines.Join(c.Bring.Select(Lines.FromText)),
        Attachments = Lines.Join(c.Attachments.Select(a => $"{Pad(a.Label)} | {Lines.FromText(a.When)}".TrimEnd(' ', '|'))),
        Channels = [.. c.Channels],
        OnlineAssurance = c.Online?.Assurance,
        OnlinePayment = c.Online?.Payment ?? false,
        OnlineMinutes = c.Online?.Minutes,
        OnlineUrl = c.Online?.Url,
        FeeYen = c.FeeYen,
        FeeNote = Lines.FromText(c.FeeNote),
        LegalBasis = c.LegalBasis,
        ProcessingDays = c.ProcessingDays,
        VisitOrder = c.VisitOrder,
        Related = string.Join(", ", c.Related),
        Owner = c.Owner,
    };

    /// <summary>The three languages of a text, always three fields, so a second text can follow on the same line.</summary>
    private static string Pad(Text t) => $"{t.Ja} | {t.En ?? ""} | {t.Easy ?? ""}";

    public ProcedureContent ToContent() => new()
    {
        Code = Code?.Trim() ?? "",
        Office = string.IsNullOrWhiteSpace(Office) ? null : Office,
        Name = new Text(NameJa?.Trim() ?? "", Blank(NameEn), Blank(NameEasy)),
        Summary = new Text(SummaryJa?.Trim() ?? "", Blank(SummaryEn), Blank(SummaryEasy)),
        Reading = Reading?.Trim() ?? "",
        Events = [.. (Events ?? []).Where(NationalEvents.Contains)],
        Department = Department ?? "",
        Counter = Counter?.Trim() ?? "",
        Phone = Phone?.Trim() ?? "",
        Who = [.. (Who ?? []).Where(WhoValues.Contains)],
        Deadline = string.IsNullOrEmpty(DeadlineAnchor) ? null
            : new DeadlineRule(DeadlineAnchor, DeadlineDays is > 0 ? DeadlineDays : null, DeadlineMonths is > 0 ? DeadlineMonths : null, DeadlineFirstDayCounts, DeadlineRollForward, Lines.ToText(Lines.Fields(DeadlineNote ?? ""))),
        Bring = [.. Lines.Split(Bring).Select(l => Lines.ToText(Lines.Fields(l))).OfType<Text>()],
        Attachments = [.. Lines.Split(Attachments).Select(Lines.Fields).Where(f => Lines.Field(f, 0) is not null).Select(f => new Attachment(Lines.ToText(f)!, Lines.ToText(f, 3)))],
        Channels = [.. (Channels ?? []).Where(Channel.All.Contains)],
        Online = Channels?.Contains(Channel.Online) == true ? new OnlineFiling(OnlineAssurance == "low" ? "low" : "high", OnlinePayment, OnlineMinutes ?? 10, Blank(OnlineUrl)) : null,
        FeeYen = FeeYen,
        FeeNote = Lines.ToText(Lines.Fields(FeeNote ?? "")),
        LegalBasis = LegalBasis?.Trim() ?? "",
        ProcessingDays = ProcessingDays,
        VisitOrder = VisitOrder,
        Related = [.. Lines.Words(Related)],
        Owner = string.IsNullOrEmpty(Owner) ? Department ?? "" : Owner,
    };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
