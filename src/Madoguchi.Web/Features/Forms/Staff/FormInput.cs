using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Catalog.Staff;
using Madoguchi.Web.Features.Guide;

namespace Madoguchi.Web.Features.Forms.Staff;

/// <summary>
/// The designer's view of a form: pages and questions as rows the administrator fills in, lists (choices, group
/// columns, fees, eligibility rules) as lines of 「|」-separated fields. Converted to a <see cref="FormDefinition"/> and back.
/// </summary>
public sealed class FormInput
{
    public string? Procedure { get; set; }
    public string? TitleJa { get; set; }
    public string? TitleEn { get; set; }
    public string? TitleEasy { get; set; }
    public string? Intro { get; set; }
    public string Assurance { get; set; } = "high";
    public string? Declaration { get; set; }
    /// <summary>「label ja | label en | label easy | yen | per field」</summary>
    public string? Fees { get; set; }
    /// <summary>「condition | message ja | en | easy」</summary>
    public string? Eligibility { get; set; }
    public int DraftDays { get; set; } = 30;
    public List<PageInput> Pages { get; set; } = [];

    public sealed class PageInput
    {
        public string? Key { get; set; }
        public string? Title { get; set; }
        public string? When { get; set; }
        public List<FieldInput> Fields { get; set; } = [];
    }

    public sealed class FieldInput
    {
        public string? Key { get; set; }
        public string Type { get; set; } = FieldType.Text;
        public string? Label { get; set; }
        public string? Hint { get; set; }
        public bool Required { get; set; } = true;
        public string? Bind { get; set; }
        public string? When { get; set; }
        public int? Min { get; set; }
        public int? Max { get; set; }
        public int? MaxLength { get; set; }
        public string? Shared { get; set; }
        /// <summary>「value | ja | en | easy」 per line.</summary>
        public string? Choices { get; set; }
        /// <summary>Group columns, 「key | type | label ja | en | easy | bind」 per line.</summary>
        public string? Columns { get; set; }
    }

    public static FormInput From(FormDefinition f) => new()
    {
        Procedure = f.Procedure,
        TitleJa = f.Title.Ja, TitleEn = f.Title.En, TitleEasy = f.Title.Easy,
        Intro = Lines.FromText(f.Intro),
        Assurance = f.Assurance,
        Declaration = Lines.FromText(f.Declaration),
        Fees = Lines.Join(f.Fees.Select(l => $"{All(l.Label)} | {l.Yen} | {l.PerField}".TrimEnd(' ', '|'))),
        Eligibility = Lines.Join(f.Eligibility.Select(r => $"{r.When} | {Lines.FromText(r.Message)}")),
        DraftDays = f.DraftDays,
        Pages = [.. f.Pages.Select(p => new PageInput
        {
            Key = p.Key, Title = Lines.FromText(p.Title), When = p.When,
            Fields = [.. p.Fields.Select(x => new FieldInput
            {
                Key = x.Key, Type = x.Type, Label = Lines.FromText(x.Label), Hint = Lines.FromText(x.Hint), Required = x.Required, Bind = x.Bind, When = x.When,
                Min = x.Min, Max = x.Max, MaxLength = x.MaxLength, Shared = x.Shared,
                Choices = Lines.Join(x.Choices.Select(c => $"{c.Value} | {Lines.FromText(c.Label)}")),
                Columns = Lines.Join(x.Fields.Select(c => $"{c.Key} | {c.Type} | {All(c.Label)} | {c.Bind}".TrimEnd(' ', '|'))),
            })],
        })],
    };

    /// <summary>The definition, and what is wrong with it keyed by the input's name (Input.Pages[0].Fields[1].Key …).</summary>
    public (FormDefinition Form, Dictionary<string, string> Errors) ToDefinition(CatalogSnapshot catalog, Ui t)
    {
        var errors = new Dictionary<string, string>();
        void Error(string at, string key, params object[] args) => errors.TryAdd(at, t.Format(key, args));
        Text Three(string? line, string at)
        {
            var text = Lines.ToText(Lines.Fields(line ?? ""));
            if (text is null) Error(at, "designer.error.text");
            return text ?? new Text("");
        }
        var keys = new HashSet<string>();
        var pages = new List<FormPage>();
        for (var p = 0; p < Pages.Count; p++)
        {
            var page = Pages[p];
            var at = $"Input.Pages[{p}]";
            if (!IsKey(page.Key)) Error($"{at}.Key", "designer.error.key");
            CheckCondition(page.When, $"{at}.When");
            var fields = new List<FormField>();
            for (var i = 0; i < page.Fields.Count; i++)
            {
                var f = page.Fields[i];
                var fat = $"{at}.Fields[{i}]";
                if (!IsKey(f.Key) || !keys.Add(f.Key!)) Error($"{fat}.Key", "designer.error.key");
                if (!FieldType.All.Contains(f.Type)) Error($"{fat}.Type", "designer.error.type");
                if (f.Bind is { Length: > 0 } bind && !Prefill.Paths.Contains(bind)) Error($"{fat}.Bind", "designer.error.bind");
                CheckCondition(f.When, $"{fat}.When");
                var choices = Lines.Split(f.Choices).Select(Lines.Fields).Where(c => c.Length >= 2)
                    .Select(c => new FieldChoice(c[0], Lines.ToText(c, 1)!)).ToList();
                if (f.Type is FieldType.Choice or FieldType.Multi && choices.Count == 0) Error($"{fat}.Choices", "designer.error.choices");
                var columns = new List<FormField>();
                foreach (var line in Lines.Split(f.Columns).Select(Lines.Fields))
                {
                    var type = Lines.Field(line, 1) ?? FieldType.Text;
                    if (!IsKey(Lines.Field(line, 0)) || type is FieldType.Group or FieldType.File or FieldType.Choice or FieldType.Multi || !FieldType.All.Contains(type) || Lines.ToText(line, 2) is null)
                    {
                        Error($"{fat}.Columns", "designer.error.columns");
                        continue;
                    }
                    columns.Add(new FormField(line[0], type, Lines.ToText(line, 2)!) { Bind = Lines.Field(line, 5) });
                }
                if (f.Type == FieldType.Group && columns.Count == 0) Error($"{fat}.Columns", "designer.error.columns");
                fields.Add(new FormField(f.Key ?? "", f.Type, Three(f.Label, $"{fat}.Label"))
                {
                    Hint = Lines.ToText(Lines.Fields(f.Hint ?? "")), Required = f.Required, Bind = Blank(f.Bind), When = Blank(f.When),
                    Min = f.Min, Max = f.Max, MaxLength = f.MaxLength, Shared = Blank(f.Shared), Choices = choices, Fields = columns,
                });
            }
            if (fields.Count == 0) Error($"{at}.Key", "designer.error.empty");
            pages.Add(new FormPage(page.Key ?? "", Three(page.Title, $"{at}.Title"), fields, Blank(page.When)));
        }
        if (pages.Count == 0) Error("Input.Procedure", "designer.error.nopages");
        if (Procedure is null || !catalog.ByCode.Contains(Procedure)) Error("Input.Procedure", "designer.error.procedure");
        if (string.IsNullOrWhiteSpace(TitleJa)) Error("Input.TitleJa", "designer.error.text");
        var fees = new List<FeeLine>();
        foreach (var line in Lines.Split(Fees).Select(Lines.Fields))
        {
            if (line.Length < 4 || !int.TryParse(line[3], out var yen) || yen < 0 || (Lines.Field(line, 4) is { } per && !keys.Contains(per)))
            {
                Error("Input.Fees", "designer.error.fees");
                continue;
            }
            fees.Add(new FeeLine(Lines.ToText(line)!, yen, Lines.Field(line, 4)));
        }
        var rules = new List<EligibilityRule>();
        foreach (var line in Lines.Split(Eligibility).Select(Lines.Fields))
        {
            if (line.Length < 2 || Lines.ToText(line, 1) is not { } message || !Parses(line[0]))
            {
                Error("Input.Eligibility", "designer.error.eligibility");
                continue;
            }
            rules.Add(new EligibilityRule(line[0], message));
        }
        var form = new FormDefinition
        {
            Procedure = Procedure ?? "", Title = new Text(TitleJa ?? "", Blank(TitleEn), Blank(TitleEasy)), Intro = Lines.ToText(Lines.Fields(Intro ?? "")),
            Assurance = Assurance == "low" ? "low" : "high", Pages = pages, Fees = fees, Declaration = Lines.ToText(Lines.Fields(Declaration ?? "")),
            Eligibility = rules, DraftDays = Math.Clamp(DraftDays, 1, 365),
        };
        return (form, errors);

        void CheckCondition(string? when, string at)
        {
            if (!Parses(when)) Error(at, "designer.error.condition");
        }
    }

    private static bool Parses(string? condition)
    {
        try
        {
            _ = Condition.Clauses(condition).ToList();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The three languages with empty places kept, for lines where more fields follow the text.</summary>
    private static string All(Text text) => $"{text.Ja} | {text.En} | {text.Easy}";

    public static bool IsKey(string? key) => key is { Length: > 0 and <= 40 } && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') && char.IsAsciiLetterLower(key[0]);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
