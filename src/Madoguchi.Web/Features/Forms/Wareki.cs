using System.Globalization;
using Madoguchi.Web.Platform.Text;

namespace Madoguchi.Web.Features.Forms;

/// <summary>Dates typed in 西暦 or 和暦: 令和8年 is 2026. Only eras a living person's dates need are offered.</summary>
public static class Wareki
{
    public sealed record Era(string Key, string Name, DateOnly Start);

    public static readonly IReadOnlyList<Era> Eras =
    [
        new("reiwa", "令和", new(2019, 5, 1)),
        new("heisei", "平成", new(1989, 1, 8)),
        new("showa", "昭和", new(1926, 12, 25)),
    ];

    /// <summary>The date, or null when the parts do not make one (平成32年 does not exist; 令和元年4月 is still 平成).</summary>
    public static DateOnly? ToDate(string? era, string year, string month, string day)
    {
        if (!int.TryParse(JapaneseText.Clean(year).Replace("元", "1", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || !int.TryParse(JapaneseText.Clean(month), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !int.TryParse(JapaneseText.Clean(day), NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            || m is < 1 or > 12 || d < 1 || y < 1)
        {
            return null;
        }
        var found = Eras.FirstOrDefault(e => e.Key == era);
        if (found is not null)
        {
            y += found.Start.Year - 1;
        }
        if (y is < 1900 or > 2200 || d > DateTime.DaysInMonth(y, m))
        {
            return null;
        }
        var date = new DateOnly(y, m, d);
        if (found is not null)
        {
            var next = Eras.Where(e => e.Start > found.Start).MinBy(e => e.Start);
            if (date < found.Start || (next is not null && date >= next.Start))
            {
                return null;
            }
        }
        return date;
    }

    public static DateOnly? ParseIso(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year >= 1900 ? d : null;
}
