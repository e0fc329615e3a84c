using System.Globalization;
using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Forms;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Madoguchi.Web.Features.Applications;

/// <summary>One question as the _FormField partial draws it: the input name ("f.children.0.kana"), the current answer and its state.</summary>
public sealed record FieldView(FormField Field, string Name, JsonNode? Value, bool Locked, bool Prefilled, string Language)
{
    public string Id => ErrorSummaryTarget.IdFor(Name);
    public string Label => Field.Label.In(Language);
    public string? Hint => Field.Hint?.In(Language);

    public string? Part(string part) => FormAnswers.AsString(Value?[part]);

    public string? Text => FormAnswers.AsString(Value);

    public bool Has(string choice) => Value switch
    {
        JsonArray a => a.Any(v => FormAnswers.AsString(v) == choice),
        _ => Text == choice,
    };

    /// <summary>The first error for this input or any of its parts.</summary>
    public static string? Error(ModelStateDictionary state, params string[] keys) =>
        keys.Select(k => state.TryGetValue(k, out var e) && e.Errors.Count > 0 ? e.Errors[0].ErrorMessage : null).FirstOrDefault(e => e is not null);

    /// <summary>A date answer split for the era/year/month/day inputs: shown in 西暦 unless the resident typed 和暦 that did not make a date.</summary>
    public static (string Era, string Year, string Month, string Day) DateParts(JsonNode? value) => value switch
    {
        JsonObject raw => (FormAnswers.AsString(raw["era"]) ?? "", FormAnswers.AsString(raw["year"]) ?? "", FormAnswers.AsString(raw["month"]) ?? "", FormAnswers.AsString(raw["day"]) ?? ""),
        _ when Wareki.ParseIso(FormAnswers.AsString(value)) is { } d => ("", d.Year.ToString(CultureInfo.InvariantCulture), d.Month.ToString(CultureInfo.InvariantCulture), d.Day.ToString(CultureInfo.InvariantCulture)),
        _ => ("", "", "", ""),
    };

    /// <summary>An answer as text for the check page and the status page.</summary>
    public static string Display(FormField field, JsonNode? value, Ui t)
    {
        string Date(string? iso) => Wareki.ParseIso(iso) is { } d ? $"{d:yyyy-MM-dd}（{Platform.Calendar.CityCalendar.ToWareki(d)}）" : "";
        string Choice(string? v) => field.Choices.FirstOrDefault(c => c.Value == v)?.Label.In(t.Language) ?? v ?? "";
        var text = FormAnswers.AsString(value);
        return field.Type switch
        {
            _ when value is null => t["form.unanswered"],
            FieldType.Date => Date(text),
            FieldType.YesNo => text == "yes" ? t["form.yes"] : t["form.no"],
            FieldType.Choice => Choice(text),
            FieldType.Multi => value is JsonArray a && a.Count > 0 ? string.Join("、", a.Select(v => Choice(FormAnswers.AsString(v)))) : t["form.unanswered"],
            FieldType.Address => $"〒{FormAnswers.AsString(value["postal"])} {FormAnswers.AsString(value["line"])} {FormAnswers.AsString(value["building"])}".Trim(),
            FieldType.Person => $"{FormAnswers.AsString(value["name"])}（{FormAnswers.AsString(value["kana"])}） {Date(FormAnswers.AsString(value["birthdate"]))}",
            FieldType.Bank => $"{FormAnswers.AsString(value["bank"])}-{FormAnswers.AsString(value["branch"])} {(FormAnswers.AsString(value["type"]) == "toza" ? t["form.bank.toza"] : t["form.bank.futsu"])} {FormAnswers.AsString(value["number"])} {FormAnswers.AsString(value["holder"])}",
            FieldType.File => FormAnswers.AsString(value["name"]) ?? "",
            FieldType.Declaration => t["form.declared"],
            FieldType.Group => value is JsonArray rows && rows.Count > 0
                ? string.Join(" / ", rows.Select(r => string.Join(" ", field.Fields.Select(c => Display(c, r?[c.Key], t)))))
                : t["form.unanswered"],
            _ => text ?? "",
        };
    }
}
