using System.Globalization;
using Madoguchi.Web.Features.Guide;

namespace Madoguchi.Web.Features.Catalog.Staff;

/// <summary>The life-event editor's form: names, one block per question, and the rules as lines.</summary>
public sealed class LifeEventInput
{
    public sealed class QuestionInput
    {
        public string? Key { get; set; }
        public string? Type { get; set; } = Question.Choice;
        public string? TextJa { get; set; }
        public string? TextEn { get; set; }
        public string? TextEasy { get; set; }
        /// <summary>One choice per line: 「value | 日本語 | English | やさしい日本語」.</summary>
        public string? Options { get; set; }
        public string? When { get; set; }
        public string? Hint { get; set; }
        public bool Remove { get; set; }
    }

    public string? NameJa { get; set; } = "";
    public string? NameEn { get; set; }
    public string? NameEasy { get; set; }
    public string? DateLabel { get; set; } = "";
    public int Order { get; set; }
    public List<QuestionInput> Questions { get; set; } = [];
    /// <summary>One rule per line: 「procedure-code | condition | date question | check | deadline」.</summary>
    public string? Rules { get; set; }

    public static LifeEventInput From(LifeEventContent c) => new()
    {
        NameJa = c.Name.Ja,
        NameEn = c.Name.En,
        NameEasy = c.Name.Easy,
        DateLabel = Lines.FromText(c.DateLabel),
        Order = c.Order,
        Questions = [.. c.Questions.Select(q => new QuestionInput
        {
            Key = q.Key, Type = q.Type, TextJa = q.Text.Ja, TextEn = q.Text.En, TextEasy = q.Text.Easy, When = q.When, Hint = Lines.FromText(q.Hint),
            Options = Lines.Join(q.Choices.Select(o => $"{o.Value} | {Lines.FromText(o.Label)}")),
        }), new QuestionInput()],
        Rules = Lines.Join(c.Rules.Select(FormatRule)),
    };

    public static string FormatRule(Rule r) =>
        string.Join(" | ", r.Procedure, r.When ?? "", r.Anchor ?? "", r.Check ? "check" : "", r.Deadline is null ? "" : FormatDeadline(r.Deadline)).TrimEnd(' ', '|');

    /// <summary>「birth:3m:first」 = 3 months counting the birth day; 「move:14d」 = 14 days from the day after the move; 「:noroll」 keeps closed days.</summary>
    public static string FormatDeadline(DeadlineRule d) =>
        $"{d.Anchor}:{(d.Months is > 0 ? $"{d.Months}m" : $"{d.Days}d")}{(d.FirstDayCounts ? ":first" : "")}{(d.RollForward ? "" : ":noroll")}";

    public static DeadlineRule? ParseDeadline(string text)
    {
        var parts = text.Split(':', StringSplitOptions.TrimEntries);
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length < 2 || !int.TryParse(parts[1][..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }
        var unit = parts[1][^1];
        if (unit is not ('d' or 'm') || parts.Skip(2).Any(p => p is not ("first" or "noroll")))
        {
            return null;
        }
        return new DeadlineRule(parts[0], unit == 'd' ? n : null, unit == 'm' ? n : null, parts.Contains("first"), !parts.Contains("noroll"));
    }

    /// <summary>The content, or the problems (keyed by form field) that stop it from being saved.</summary>
    public LifeEventContent? ToContent(CatalogSnapshot catalog, Ui t, Dictionary<string, string> problems)
    {
        var questions = new List<Question>();
        foreach (var (q, n) in (Questions ?? []).Select((q, n) => (q, n)))
        {
            if (q.Remove || string.IsNullOrWhiteSpace(q.Key))
            {
                continue;
            }
            var field = $"Input.Questions[{n}]";
            var key = q.Key.Trim();
            if (!key.All(char.IsAsciiLetterOrDigit) || questions.Any(x => x.Key == key) || key is GuideQuery.EventDate or PlanRequest.WardKey or "step" or "print")
            {
                problems[$"{field}.Key"] = t["catalog.error.question-key"];
                continue;
            }
            var options = Lines.Split(q.Options).Select(Lines.Fields).Where(f => Lines.Field(f, 0) is not null && Lines.Field(f, 1) is not null)
                .Select(f => new Option(f[0], Lines.ToText(f, 1)!)).ToList();
            var type = q.Type == Question.Date ? Question.Date : Question.Choice;
            if (type == Question.Choice && options.Count == 0)
            {
                problems[$"{field}.Options"] = t["catalog.error.options"];
            }
            if (string.IsNullOrWhiteSpace(q.TextJa))
            {
                problems[$"{field}.TextJa"] = t["catalog.error.question-text"];
            }
            questions.Add(new Question(key, new Text(q.TextJa?.Trim() ?? "", Blank(q.TextEn), Blank(q.TextEasy)), type, type == Question.Choice ? options : null, Blank(q.When), Lines.ToText(Lines.Fields(q.Hint ?? ""))));
        }
        foreach (var (q, n) in questions.Select((q, n) => (q, n)))
        {
            if (Condition.Problems(q.When, questions).FirstOrDefault() is { } problem)
            {
                problems[$"Input.Questions[{n}].When"] = t.Format("catalog.error.condition", problem);
            }
        }
        var rules = new List<Rule>();
        var bad = new List<string>();
        foreach (var (line, n) in Lines.Split(Rules).Select((l, n) => (l, n + 1)))
        {
            var f = Lines.Fields(line);
            var deadline = Lines.Field(f, 4) is { } d ? ParseDeadline(d) : null;
            var anchor = Lines.Field(f, 2);
            if (!catalog.ByCode.Contains(f[0])
                || Condition.Problems(Lines.Field(f, 1), questions).Any()
                || (anchor is not null && questions.All(q => q.Key != anchor || q.Type != Question.Date))
                || (Lines.Field(f, 4) is not null && deadline is null))
            {
                bad.Add(n.ToString(CultureInfo.InvariantCulture));
                continue;
            }
            rules.Add(new Rule(f[0], Lines.Field(f, 1), anchor, deadline, Lines.Field(f, 3) == "check"));
        }
        if (bad.Count > 0)
        {
            problems["Input.Rules"] = t.Format("catalog.error.rules", string.Join(", ", bad));
        }
        if (string.IsNullOrWhiteSpace(NameJa))
        {
            problems["Input.NameJa"] = t["catalog.error.name"];
        }
        var dateLabel = Lines.ToText(Lines.Fields(DateLabel ?? ""));
        if (dateLabel is null)
        {
            problems["Input.DateLabel"] = t["catalog.error.date-label"];
        }
        return problems.Count > 0 ? null : new LifeEventContent(new Text(NameJa!.Trim(), Blank(NameEn), Blank(NameEasy)), dateLabel!, questions, rules, Order);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
