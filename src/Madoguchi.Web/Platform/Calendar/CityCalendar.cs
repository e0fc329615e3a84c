using System.Globalization;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Platform.Calendar;

public sealed class CalendarOptions
{
    /// <summary>City-specific closed days (yyyy-MM-dd), on top of weekends, national holidays and 12/29–1/3.</summary>
    public List<DateOnly> ClosedDays { get; set; } = [];
    public string TimeZone { get; set; } = "Asia/Tokyo";
}

/// <summary>The one place that knows which days the city hall is open, so deadlines and slot calendars agree.</summary>
public sealed class CityCalendar(IOptions<CalendarOptions> options, TimeProvider clock)
{
    private readonly HashSet<DateOnly> closed = [.. options.Value.ClosedDays];
    private readonly TimeZoneInfo zone = FindZone(options.Value.TimeZone);

    /// <summary>Japan has had no daylight saving since 1951, so a fixed +09:00 serves where the time-zone database is missing.</summary>
    private static TimeZoneInfo FindZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(9), id, id);

    public DateOnly Today => DateOnly.FromDateTime(ToLocal(clock.GetUtcNow().UtcDateTime));

    public DateTime ToUtc(DateOnly day, TimeOnly time) => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(time, DateTimeKind.Unspecified), zone);

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    public static bool IsYearEndClosure(DateOnly d) => (d.Month == 12 && d.Day >= 29) || (d.Month == 1 && d.Day <= 3);

    public bool IsOpen(DateOnly d) =>
        d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
        && !JapaneseHolidays.IsHoliday(d)
        && !IsYearEndClosure(d)
        && !closed.Contains(d);

    /// <summary>The day itself when open, else the next open day (a municipal deadline on a closed day rolls forward).</summary>
    public DateOnly NextOpenDay(DateOnly d)
    {
        while (!IsOpen(d)) d = d.AddDays(1);
        return d;
    }

    /// <summary>Counts open days after <paramref name="start"/>: AddOpenDays(Fri, 1) is the next open Monday.</summary>
    public DateOnly AddOpenDays(DateOnly start, int openDays)
    {
        var d = start;
        for (var i = 0; i < openDays; i++)
        {
            d = NextOpenDay(d.AddDays(1));
        }
        return d;
    }

    /// <summary>A deadline counted in calendar days, rolled forward to an open day when it falls on a closed one.</summary>
    public DateOnly Deadline(DateOnly anchor, int days, bool firstDayCounts, bool rollForward = true)
    {
        var last = anchor.AddDays(firstDayCounts ? days - 1 : days);
        return rollForward ? NextOpenDay(last) : last;
    }

    private static readonly CultureInfo Wareki = CreateWareki();

    private static CultureInfo CreateWareki()
    {
        var culture = new CultureInfo("ja-JP");
        culture.DateTimeFormat.Calendar = new JapaneseCalendar();
        return culture;
    }

    /// <summary>令和8年11月22日; the first year of an era is written 元年.</summary>
    public static string ToWareki(DateOnly d)
    {
        var text = d.ToDateTime(TimeOnly.MinValue).ToString("ggy年M月d日", Wareki);
        return text[2..].StartsWith("1年", StringComparison.Ordinal) ? $"{text[..2]}元年{text[4..]}" : text;
    }
}
