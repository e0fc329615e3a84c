using Madoguchi.Web.Features.Catalog;

namespace Madoguchi.Web.Features.Guide;

public sealed record Option(string Value, Text Label);

/// <summary>
/// One question of a life event. Choice questions always also accept 「わからない」 (value <c>unknown</c>);
/// date questions may be left empty. <see cref="When"/> hides a question that the earlier answers make pointless.
/// </summary>
public sealed record Question(string Key, Text Text, string Type = Question.Choice, IReadOnlyList<Option>? Options = null, string? When = null, Text? Hint = null)
{
    public const string Choice = "choice";
    public const string Date = "date";
    public const string Unknown = "unknown";

    public IReadOnlyList<Option> Choices => Options ?? [];
}

/// <summary>
/// A procedure the event may need: <see cref="When"/> is a condition over the answers (see <see cref="Condition"/>);
/// <see cref="Anchor"/> names a date question whose answer replaces the event date for this deadline;
/// <see cref="Deadline"/> replaces the procedure's own rule (出生届 abroad: 3 months);
/// <see cref="Check"/> marks items that always need the resident's own judgement (相続放棄 …).
/// </summary>
public sealed record Rule(string Procedure, string? When = null, string? Anchor = null, DeadlineRule? Deadline = null, bool Check = false);

public sealed record LifeEventContent(Text Name, Text DateLabel, IReadOnlyList<Question> Questions, IReadOnlyList<Rule> Rules, int Order = 0);

public enum Truth { False, Unknown, True }

/// <summary>
/// Conditions as administrators write them: clauses joined by <c>&amp;</c>, each <c>key=a|b</c> or <c>key!=a|b</c>.
/// A clause on an unanswered or 「わからない」 question is unknown, which makes the procedure 要確認 rather than hiding it.
/// </summary>
public static class Condition
{
    public static Truth Evaluate(string? condition, IReadOnlyDictionary<string, string> answers)
    {
        var result = Truth.True;
        foreach (var clause in Clauses(condition))
        {
            var value = answers.GetValueOrDefault(clause.Key);
            if (string.IsNullOrEmpty(value) || value == Question.Unknown)
            {
                result = Truth.Unknown;
                continue;
            }
            if (clause.Values.Contains(value) == clause.Negated)
            {
                return Truth.False;
            }
        }
        return result;
    }

    public sealed record Clause(string Key, bool Negated, IReadOnlyList<string> Values);

    public static IEnumerable<Clause> Clauses(string? condition)
    {
        if (string.IsNullOrWhiteSpace(condition))
        {
            yield break;
        }
        foreach (var part in condition.Split('&', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var negated = part.Contains("!=", StringComparison.Ordinal);
            var pieces = part.Split(negated ? "!=" : "=", 2, StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || pieces[0].Length == 0 || pieces[1].Length == 0)
            {
                throw new FormatException(part);
            }
            yield return new Clause(pieces[0], negated, pieces[1].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
    }

    /// <summary>The problems of a condition against the event's questions, for the editor: unknown keys or values, bad syntax.</summary>
    public static IEnumerable<string> Problems(string? condition, IReadOnlyList<Question> questions)
    {
        List<Clause> clauses;
        try
        {
            clauses = [.. Clauses(condition)];
        }
        catch (FormatException e)
        {
            return [$"syntax: {e.Message}"];
        }
        var problems = new List<string>();
        foreach (var clause in clauses)
        {
            var question = questions.FirstOrDefault(q => q.Key == clause.Key);
            if (question is null)
            {
                problems.Add($"question: {clause.Key}");
                continue;
            }
            problems.AddRange(clause.Values.Where(v => v != Question.Unknown && question.Choices.All(o => o.Value != v)).Select(v => $"value: {clause.Key}={v}"));
        }
        return problems;
    }
}
