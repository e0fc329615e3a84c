using System.Globalization;
using System.Net.Mail;
using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Guide;
using Madoguchi.Web.Platform.Text;

namespace Madoguchi.Web.Features.Forms;

/// <summary>A problem with one answer: <see cref="Path"/> is the input's name without the "f." prefix ("children.0.kana").</summary>
public sealed record FieldError(string Path, string Message);

/// <summary>
/// Answers are a JSON object keyed by field: text-like answers are strings (dates ISO "yyyy-MM-dd"), multi-choice an
/// array, address/bank/person an object of parts, a group an array of objects, a file {id,name,size,type}.
/// The web form and the API produce the same shape, and one validator checks both.
/// </summary>
public static class FormAnswers
{
    public const string Prefix = "f.";

    /// <summary>Top-level string answers, for conditions (yes/no and choice questions drive visibility and eligibility).</summary>
    public static Dictionary<string, string> Flatten(JsonObject data) =>
        data.Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out _)).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    public static bool Shows(string? when, IReadOnlyDictionary<string, string> flat) => Condition.Evaluate(when, flat) == Truth.True;

    public static IEnumerable<FormPage> VisiblePages(FormDefinition form, JsonObject data)
    {
        var flat = Flatten(data);
        return form.Pages.Where(p => Shows(p.When, flat));
    }

    public static IEnumerable<FormField> VisibleFields(FormPage page, JsonObject data)
    {
        var flat = Flatten(data);
        return page.Fields.Where(f => Shows(f.When, flat));
    }

    /// <summary>The answers to some fields as posted by the web form. Files are handled by the caller; an empty group row is dropped.</summary>
    public static JsonObject Read(IEnumerable<FormField> fields, IFormCollection form, string prefix = Prefix)
    {
        var result = new JsonObject();
        foreach (var field in fields.Where(f => f.Type != FieldType.File))
        {
            result[field.Key] = ReadOne(field, prefix + field.Key, form);
        }
        return result;
    }

    private static JsonNode? ReadOne(FormField field, string name, IFormCollection form)
    {
        switch (field.Type)
        {
            case FieldType.Multi:
                return new JsonArray([.. form[name].Where(v => !string.IsNullOrEmpty(v)).Select(v => (JsonNode)JsonValue.Create(v)!)]);
            case FieldType.Date:
                return ReadDate(name, form);
            case FieldType.Address or FieldType.Bank or FieldType.Person:
                var parts = new JsonObject();
                foreach (var part in FieldType.Parts(field.Type))
                {
                    parts[part] = part == "birthdate" ? ReadDate($"{name}.{part}", form) : Str(form[$"{name}.{part}"]);
                }
                return parts.Any(p => p.Value is not null) ? parts : null;
            case FieldType.Group:
                var rows = new JsonArray();
                var indexes = form.Keys
                    .Where(k => k.StartsWith(name + ".", StringComparison.Ordinal))
                    .Select(k => k[(name.Length + 1)..].Split('.')[0])
                    .Select(i => int.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
                    .Where(n => n is >= 0 and < 100)
                    .Distinct()
                    .Order();
                foreach (var i in indexes)
                {
                    var row = new JsonObject();
                    foreach (var column in field.Fields)
                    {
                        row[column.Key] = ReadOne(column, $"{name}.{i}.{column.Key}", form);
                    }
                    if (row.Any(p => p.Value is not null && !(p.Value is JsonArray { Count: 0 })))
                    {
                        rows.Add(row);
                    }
                }
                return rows;
            default:
                return Str(form[name]);
        }
    }

    private static JsonValue? Str(Microsoft.Extensions.Primitives.StringValues values)
    {
        var value = values.ToString();
        return string.IsNullOrWhiteSpace(value) ? null : JsonValue.Create(value.Trim());
    }

    /// <summary>A date typed as 元号 + year + month + day: ISO when it is a real date, the raw parts when not (so they are shown again with an error).</summary>
    private static JsonNode? ReadDate(string name, IFormCollection form)
    {
        var era = form[$"{name}.era"].ToString();
        var (y, m, d) = (form[$"{name}.year"].ToString().Trim(), form[$"{name}.month"].ToString().Trim(), form[$"{name}.day"].ToString().Trim());
        if (y.Length == 0 && m.Length == 0 && d.Length == 0)
        {
            return null;
        }
        return Wareki.ToDate(era, y, m, d) is { } date
            ? JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            : new JsonObject { ["era"] = era, ["year"] = y, ["month"] = m, ["day"] = d };
    }

    /// <summary>
    /// 「追加」 and 「削除」 on a repeating group post <c>add:{input name}</c> or <c>remove:{input name}:{row}</c>; this applies
    /// the one aimed at these fields (read with <paramref name="prefix"/>) to the posted rows. True when it was one of them.
    /// </summary>
    public static bool ApplyRowAction(string? action, string prefix, IEnumerable<FormField> fields, JsonObject posted)
    {
        if (action?.Split(':') is not [var verb, var name, ..] || !name.StartsWith(prefix, StringComparison.Ordinal)
            || fields.FirstOrDefault(f => f.Type == FieldType.Group && prefix + f.Key == name) is not { } group || posted[group.Key] is not JsonArray rows)
        {
            return false;
        }
        if (verb == "add" && rows.Count < (group.Max ?? 10))
        {
            // An empty row is dropped when read back, so the blank row shown and the new one are kept as empty objects.
            while (rows.Count < Math.Max(1, group.Min ?? 1)) rows.Add(new JsonObject());
            rows.Add(new JsonObject());
        }
        else if (verb == "remove" && action.Split(':') is [_, _, var n] && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < rows.Count)
        {
            rows.RemoveAt(index);
        }
        return true;
    }

    /// <summary>Checks the visible fields among <paramref name="fields"/> and returns the answers cleaned (kana as katakana, postcodes as 123-4567 …).</summary>
    public static (JsonObject Clean, List<FieldError> Errors) Validate(IEnumerable<FormField> fields, JsonObject data, Ui t)
    {
        var clean = new JsonObject();
        var errors = new List<FieldError>();
        var flat = Flatten(data);
        foreach (var field in fields.Where(f => Shows(f.When, flat)))
        {
            var value = CheckOne(field, field.Key, data[field.Key], field.Label.In(t.Language), t, errors);
            if (value is not null)
            {
                clean[field.Key] = value;
            }
        }
        return (clean, errors);
    }

    private static JsonNode? CheckOne(FormField field, string path, JsonNode? value, string label, Ui t, List<FieldError> errors)
    {
        void Error(string key, string at, params object[] args) => errors.Add(new FieldError(at, t.Format(key, [label, .. args])));

        if (IsEmpty(value))
        {
            if (field.Required)
            {
                Error(field.Type is FieldType.YesNo or FieldType.Choice or FieldType.Multi ? "form.error.choose"
                    : field.Type == FieldType.Declaration ? "form.error.declaration"
                    : field.Type == FieldType.File ? "form.error.file" : "form.error.required",
                    InputPath(field, path));
            }
            return field.Type == FieldType.Group ? new JsonArray() : null;
        }
        switch (field.Type)
        {
            case FieldType.Multi:
                if (value is not JsonArray array || array.Any(v => !IsChoice(field, AsString(v))))
                {
                    Error("form.error.choose", path);
                    return null;
                }
                return new JsonArray([.. array.Select(v => (JsonNode)JsonValue.Create(AsString(v))!)]);
            case FieldType.Address or FieldType.Bank or FieldType.Person:
                return CheckParts(field, path, value as JsonObject, label, t, errors);
            case FieldType.Group:
                if (value is not JsonArray rows)
                {
                    Error("form.error.required", path);
                    return null;
                }
                var max = field.Max ?? 10;
                if (rows.Count > max)
                {
                    Error("form.error.group.max", path, max);
                }
                if (rows.Count < (field.Min ?? 0))
                {
                    Error("form.error.group.min", path, field.Min!.Value);
                }
                var cleanRows = new JsonArray();
                for (var i = 0; i < Math.Min(rows.Count, max); i++)
                {
                    var row = rows[i] as JsonObject ?? [];
                    var cleanRow = new JsonObject();
                    foreach (var column in field.Fields)
                    {
                        var cell = CheckOne(column, $"{path}.{i}.{column.Key}", row[column.Key], $"{label} {i + 1}: {column.Label.In(t.Language)}", t, errors);
                        if (cell is not null)
                        {
                            cleanRow[column.Key] = cell;
                        }
                    }
                    cleanRows.Add(cleanRow);
                }
                return cleanRows;
            case FieldType.File:
                return value is JsonObject file && file["id"] is JsonValue ? file.DeepClone() : null;
        }

        var text = AsString(value);
        if (text is null)
        {
            Error("form.error.required", path);
            return null;
        }
        string? result = field.Type switch
        {
            FieldType.Kana => JapaneseText.IsKatakana(JapaneseText.ToKatakana(text)) ? JapaneseText.ToKatakana(text) : null,
            FieldType.Date => Wareki.ParseIso(text) is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            FieldType.Number => int.TryParse(JapaneseText.Clean(text), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                && n >= (field.Min ?? 0) && n <= (field.Max ?? 1_000_000_000) ? n.ToString(CultureInfo.InvariantCulture) : null,
            FieldType.YesNo => text is "yes" or "no" ? text : null,
            FieldType.Choice => IsChoice(field, text) ? text : null,
            FieldType.Phone => JapaneseText.NormalizePhone(text),
            FieldType.Email => MailAddress.TryCreate(text.Trim(), out var mail) && mail.Address == text.Trim() && mail.Host.Contains('.', StringComparison.Ordinal) && text.Length <= 254 ? text.Trim() : null,
            FieldType.Declaration => text == "yes" ? text : null,
            _ => JapaneseText.Clean(text),
        };
        if (result is null)
        {
            switch (field.Type)
            {
                case FieldType.Number: Error("form.error.number", path, field.Min ?? 0, field.Max ?? 1_000_000_000); break;
                case FieldType.Date: Error("form.error.date", path + ".year"); break;
                case FieldType.YesNo or FieldType.Choice: Error("form.error.choose", path); break;
                case FieldType.Declaration: Error("form.error.declaration", path); break;
                default: Error("form.error." + field.Type, path); break;
            }
            return null;
        }
        if (result.Length > (field.MaxLength ?? 200))
        {
            Error("form.error.length", path, field.MaxLength ?? 200);
            return null;
        }
        return JsonValue.Create(result);
    }

    /// <summary>Address, bank account and person answers, part by part; each part's error names the part.</summary>
    private static JsonObject? CheckParts(FormField field, string path, JsonObject? value, string label, Ui t, List<FieldError> errors)
    {
        if (value is null)
        {
            errors.Add(new FieldError(InputPath(field, path), t.Format("form.error.required", label)));
            return null;
        }
        var clean = new JsonObject();
        var ok = true;
        foreach (var part in FieldType.Parts(field.Type))
        {
            var partLabel = $"{label}（{t["form.part." + part]}）";
            var optional = part == "building";
            var raw = AsString(value[part]);
            if (string.IsNullOrWhiteSpace(raw))
            {
                if (!optional)
                {
                    errors.Add(new FieldError(PartPath(path, part), t.Format(part == "type" ? "form.error.choose" : "form.error.required", partLabel)));
                    ok = false;
                }
                continue;
            }
            var digits = JapaneseText.Clean(raw).Replace("-", "", StringComparison.Ordinal);
            string? result = part switch
            {
                "postal" => JapaneseText.NormalizePostcode(raw),
                "bank" => digits.Length == 4 && digits.All(char.IsAsciiDigit) ? digits : null,
                "branch" => digits.Length == 3 && digits.All(char.IsAsciiDigit) ? digits : null,
                "number" => digits.Length is >= 1 and <= 7 && digits.All(char.IsAsciiDigit) ? digits.PadLeft(7, '0') : null,
                "type" => raw is "futsu" or "toza" ? raw : null,
                "holder" or "kana" => JapaneseText.IsKatakana(JapaneseText.ToKatakana(raw)) ? JapaneseText.ToKatakana(raw) : null,
                "birthdate" => Wareki.ParseIso(raw) is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
                _ => JapaneseText.Clean(raw) is { Length: <= 200 } s ? s : null,
            };
            if (result is null)
            {
                errors.Add(new FieldError(PartPath(path, part), t.Format("form.error.part." + part, partLabel)));
                ok = false;
                continue;
            }
            clean[part] = result;
        }
        return ok ? clean : null;
    }

    /// <summary>Where the error summary should jump for a field: its first input.</summary>
    private static string InputPath(FormField field, string path) => field.Type switch
    {
        FieldType.Date => path + ".year",
        FieldType.Address or FieldType.Bank or FieldType.Person => PartPath(path, FieldType.Parts(field.Type)[0]),
        FieldType.YesNo or FieldType.Choice or FieldType.Multi => path + ".0",
        _ => path,
    };

    private static string PartPath(string path, string part) => part == "birthdate" ? $"{path}.{part}.year" : $"{path}.{part}";

    private static bool IsChoice(FormField field, string? value) => value is not null && field.Choices.Any(c => c.Value == value);

    private static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonObject o => o.Count == 0 || o.All(p => IsEmpty(p.Value)),
        JsonValue v => v.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s),
        _ => false,
    };

    /// <summary>A string, or a number written as one (the API may send 2 for 「2通」).</summary>
    public static string? AsString(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "yes" : "no",
        _ => null,
    };
}
