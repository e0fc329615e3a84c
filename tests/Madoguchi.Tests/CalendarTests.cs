using Madoguchi.Web.Platform.Calendar;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Madoguchi.Tests;

public sealed class CalendarTests
{
    /// <summary>The Cabinet Office's published national holidays (国民の祝日・休日), 2024–2027.</summary>
    public static TheoryData<int, string[]> OfficialHolidays => new()
    {
        { 2024, ["01-01", "01-08", "02-11", "02-12", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-15", "08-11", "08-12", "09-16", "09-22", "09-23", "10-14", "11-03", "11-04", "11-23"] },
        { 2025, ["01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-21", "08-11", "09-15", "09-23", "10-13", "11-03", "11-23", "11-24"] },
        { 2026, ["01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-20", "08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23"] },
        { 2027, ["01-01", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29", "05-03", "05-04", "05-05", "07-19", "08-11", "09-20", "09-23", "10-11", "11-03", "11-23"] },
    };

    [Theory]
    [MemberData(nameof(OfficialHolidays))]
    public void Holidays_computed_by_rule_match_the_official_list(int year, string[] expected)
    {
        var computed = JapaneseHolidays.ForYear(year).Keys.Order().Select(d => d.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, computed);
    }

    [Theory]
    [InlineData("2019-04-30", "国民の休日")]
    [InlineData("2019-05-01", "即位の日")]
    [InlineData("2019-10-22", "即位礼正殿の儀の行われる日")]
    [InlineData("2020-07-24", "スポーツの日")]
    [InlineData("2021-08-08", "山の日")]
    [InlineData("2021-08-09", "振替休日")]
    [InlineData("2009-09-22", "国民の休日")]
    [InlineData("2006-04-29", "みどりの日")]
    [InlineData("2000-01-10", "成人の日")]
    [InlineData("2018-12-23", "天皇誕生日")]
    [InlineData("2099-01-01", "元日")]
    public void Special_and_historic_holidays_are_known(string date, string name) =>
        Assert.Equal(name, JapaneseHolidays.NameOf(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2019-12-23")]
    [InlineData("2020-10-12")]
    [InlineData("2021-07-19")]
    [InlineData("2026-11-24")]
    public void Ordinary_days_are_not_holidays(string date) =>
        Assert.Null(JapaneseHolidays.NameOf(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Every_year_of_the_century_has_sixteen_to_twenty_two_holidays()
    {
        for (var year = JapaneseHolidays.FirstYear; year <= JapaneseHolidays.LastYear; year++)
        {
            Assert.InRange(JapaneseHolidays.ForYear(year).Count, 15, 22);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => JapaneseHolidays.ForYear(2100));
    }

    private static CityCalendar Calendar(params DateOnly[] closed) =>
        new(Options.Create(new CalendarOptions { ClosedDays = [.. closed] }), new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero)));

    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Year_end_closure_weekends_holidays_and_city_days_are_closed()
    {
        var calendar = Calendar(D("2026-11-25"));
        Assert.False(calendar.IsOpen(D("2026-12-29")));
        Assert.False(calendar.IsOpen(D("2027-01-03")));
        Assert.True(calendar.IsOpen(D("2027-01-04")));
        Assert.False(calendar.IsOpen(D("2026-11-21")));
        Assert.False(calendar.IsOpen(D("2026-11-23")));
        Assert.True(calendar.IsOpen(D("2026-11-24")));
        Assert.False(calendar.IsOpen(D("2026-11-25")));
        Assert.Equal(D("2026-12-28"), calendar.NextOpenDay(D("2026-12-26")));
        Assert.Equal(D("2027-01-04"), calendar.NextOpenDay(D("2026-12-29")));
        Assert.Equal(D("2026-12-28"), calendar.AddOpenDays(D("2026-12-25"), 1));
        Assert.Equal(D("2027-01-04"), calendar.AddOpenDays(D("2026-12-28"), 1));
        Assert.Equal(D("2026-11-27"), calendar.AddOpenDays(D("2026-11-20"), 3));
        Assert.Equal(D("2026-11-22"), calendar.Today);
    }

    [Fact]
    public void Statutory_deadlines_come_out_as_the_law_counts_them()
    {
        var calendar = Calendar();
        // 出生届: 14 days counting the day of birth; 11/23 is a holiday, so the next open day.
        Assert.Equal(D("2026-11-24"), calendar.Deadline(D("2026-11-10"), 14, firstDayCounts: true));
        // 死亡届: 7 days counting the day the death became known; 1/1 falls in the year-end closure.
        Assert.Equal(D("2027-01-04"), calendar.Deadline(D("2026-12-26"), 7, firstDayCounts: true));
        // 転入届: 14 days, the day after the move is day 1; Saturday 5/9 rolls to Monday.
        Assert.Equal(D("2026-05-11"), calendar.Deadline(D("2026-04-25"), 14, firstDayCounts: false));
        // 児童手当: 15 days from the day after the birth.
        Assert.Equal(D("2026-11-25"), calendar.Deadline(D("2026-11-10"), 15, firstDayCounts: false));
        // A statute that does not roll forward keeps its calendar day.
        Assert.Equal(D("2026-11-23"), calendar.Deadline(D("2026-11-10"), 14, firstDayCounts: true, rollForward: false));
        // A city closed day moves it further.
        Assert.Equal(D("2026-11-25"), Calendar(D("2026-11-24")).Deadline(D("2026-11-10"), 14, firstDayCounts: true));
    }

    [Theory]
    [InlineData("2026-11-22", "令和8年11月22日")]
    [InlineData("2019-05-01", "令和元年5月1日")]
    [InlineData("2019-04-30", "平成31年4月30日")]
    [InlineData("1989-01-08", "平成元年1月8日")]
    [InlineData("1975-05-05", "昭和50年5月5日")]
    public void Dates_are_shown_in_wareki(string date, string expected) => Assert.Equal(expected, CityCalendar.ToWareki(D(date)));
}
