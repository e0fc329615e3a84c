namespace Madoguchi.Web.Platform.Calendar;

/// <summary>
/// Japanese national holidays (国民の祝日に関する法律) computed by rule for 2000–2099: fixed days, Happy Monday days,
/// equinoxes by the standard approximation, the 2019–2021 special days, 振替休日 and 国民の休日.
/// </summary>
public static class JapaneseHolidays
{
    public const int FirstYear = 2000;
    public const int LastYear = 2099;

    public static bool IsHoliday(DateOnly date) => NameOf(date) is not null;

    public static string? NameOf(DateOnly date) => ForYear(date.Year).GetValueOrDefault(date);

    private static readonly Dictionary<int, IReadOnlyDictionary<DateOnly, string>> Cache = [];
    private static readonly Lock CacheLock = new();

    public static IReadOnlyDictionary<DateOnly, string> ForYear(int year)
    {
        if (year is < FirstYear or > LastYear)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, $"Holidays are computed for {FirstYear}–{LastYear}.");
        }
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(year, out var days))
            {
                days = Compute(year);
                Cache[year] = days;
            }
            return days;
        }
    }

    private static Dictionary<DateOnly, string> Compute(int y)
    {
        var d = new Dictionary<DateOnly, string>();
        void Add(int month, int day, string name) => d[new DateOnly(y, month, day)] = name;

        Add(1, 1, "元日");
        Add(1, NthMonday(y, 1, 2), "成人の日");
        Add(2, 11, "建国記念の日");
        if (y >= 2020) Add(2, 23, "天皇誕生日");
        Add(3, VernalEquinox(y), "春分の日");
        Add(4, 29, y >= 2007 ? "昭和の日" : "みどりの日");
        Add(5, 3, "憲法記念日");
        if (y >= 2007) Add(5, 4, "みどりの日");
        Add(5, 5, "こどもの日");
        switch (y)
        {
            case 2020: Add(7, 23, "海の日"); Add(7, 24, "スポーツの日"); Add(8, 10, "山の日"); break;
            case 2021: Add(7, 22, "海の日"); Add(7, 23, "スポーツの日"); Add(8, 8, "山の日"); break;
            default:
                Add(7, y >= 2003 ? NthMonday(y, 7, 3) : 20, "海の日");
                if (y >= 2016) Add(8, 11, "山の日");
                Add(10, NthMonday(y, 10, 2), y >= 2020 ? "スポーツの日" : "体育の日");
                break;
        }
        Add(9, y >= 2003 ? NthMonday(y, 9, 3) : 15, "敬老の日");
        Add(9, AutumnalEquinox(y), "秋分の日");
        Add(11, 3, "文化の日");
        Add(11, 23, "勤労感謝の日");
        if (y <= 2018) Add(12, 23, "天皇誕生日");
        if (y == 2019)
        {
            Add(4, 30, "国民の休日");
            Add(5, 1, "即位の日");
            Add(5, 2, "国民の休日");
            Add(10, 22, "即位礼正殿の儀の行われる日");
        }

        // 国民の休日: a weekday squeezed between two holidays (the 2019 days above are set by their own law).
        foreach (var day in d.Keys.ToList())
        {
            var between = day.AddDays(1);
            if (d.ContainsKey(day.AddDays(2)) && !d.ContainsKey(between) && between.DayOfWeek != DayOfWeek.Sunday)
            {
                d[between] = "国民の休日";
            }
        }

        // 振替休日: a holiday on a Sunday moves to the next day that is not a holiday (from 2007; before, to Monday only).
        foreach (var day in d.Keys.Where(k => k.DayOfWeek == DayOfWeek.Sunday).Order().ToList())
        {
            var substitute = day.AddDays(1);
            if (y >= 2007)
            {
                while (d.ContainsKey(substitute)) substitute = substitute.AddDays(1);
            }
            if (!d.ContainsKey(substitute) && substitute.Year == y)
            {
                d[substitute] = "振替休日";
            }
        }
        return d;
    }

    private static int NthMonday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7;
        return 1 + offset + (n - 1) * 7;
    }

    // The approximations the National Astronomical Observatory's published dates follow for 1980–2099.
    private static int VernalEquinox(int y) => (int)Math.Floor(20.8431 + 0.242194 * (y - 1980) - Math.Floor((y - 1980) / 4.0));

    private static int AutumnalEquinox(int y) => (int)Math.Floor(23.2488 + 0.242194 * (y - 1980) - Math.Floor((y - 1980) / 4.0));
}
