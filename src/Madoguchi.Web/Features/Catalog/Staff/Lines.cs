namespace Madoguchi.Web.Features.Catalog.Staff;

/// <summary>
/// Lists edited as text: one item per line, fields separated by「|」. Administrators edit translations side by side
/// (「本人確認書類 | Photo ID | じぶんだと わかる もの」) and nothing they did not touch is lost on the way back.
/// </summary>
public static class Lines
{
    public static string[] Split(string? text) =>
        (text ?? "").Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string[] Fields(string line) => line.Split('|', StringSplitOptions.TrimEntries);

    public static string? Field(string[] fields, int index) => index < fields.Length && fields[index].Length > 0 ? fields[index] : null;

    public static Text? ToText(string[] fields, int offset = 0) =>
        Field(fields, offset) is { } ja ? new Text(ja, Field(fields, offset + 1), Field(fields, offset + 2)) : null;

    public static string FromText(Text? text) => text is null ? "" : string.Join(" | ", new[] { text.Ja, text.En ?? "", text.Easy ?? "" }).TrimEnd(' ', '|');

    public static string Join(IEnumerable<string> lines) => string.Join('\n', lines);

    public static string[] Words(string? text) =>
        (text ?? "").Split([',', '、', '，', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
