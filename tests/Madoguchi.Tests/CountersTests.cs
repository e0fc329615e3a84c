using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Counters;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

/// <summary>Queue tickets, calls, boards, notices and appointments through the API and pages, on both databases.</summary>
public abstract class CountersTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private static async Task<JsonElement> TakeAsync(HttpClient client, string office, string service, string? key = null, bool accessibility = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/offices/{office}/tickets") { Content = JsonContent.Create(new { service, accessibility }) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<HttpClient> StaffClientAsync(string staff)
    {
        var client = App.Api();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(client, new { staff }));
        return client;
    }

    private static async Task<JsonElement> CallNextAsync(HttpClient staff, string counter)
    {
        using var response = await staff.PostAsync($"/api/v1/staff/counters/{counter}/call-next", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Offices_list_their_services_and_counters()
    {
        using var client = App.Api();
        var offices = await CatalogTests<TApp>.GetJsonAsync(client, "/api/v1/offices");
        Assert.Equal(["chuo", "kita", "minami", "higashi", "nishi", "minato", "midori"], offices.EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        var kita = offices.EnumerateArray().Single(o => o.GetProperty("id").GetString() == "kita");
        Assert.Equal("北区役所", kita.GetProperty("name").GetString());
        Assert.Contains("kita-address", kita.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Contains("1番窓口", kita.GetProperty("counters").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Numbers_stay_unique_when_many_kiosks_issue_at_once_and_a_retry_returns_the_same_ticket()
    {
        using var client = App.Api();
        var tickets = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => TakeAsync(client, "higashi", "higashi-certificates")));
        var numbers = tickets.Select(t => t.GetProperty("number").GetString()!).ToList();
        Assert.Equal(40, numbers.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 40).Select(n => $"C-{n:D3}"), numbers.Order(StringComparer.Ordinal));
        // Another prefix counts on its own.
        Assert.Equal("A-001", (await TakeAsync(client, "higashi", "higashi-address")).GetProperty("number").GetString());

        var first = await TakeAsync(client, "higashi", "higashi-koseki", key: "kiosk-7-request-1");
        var retry = await TakeAsync(client, "higashi", "higashi-koseki", key: "kiosk-7-request-1");
        Assert.Equal(first.GetProperty("id").GetString(), retry.GetProperty("id").GetString());
        Assert.Equal(1, await WithDb(db => db.Tickets.CountAsync(t => t.OfficeId == "higashi" && t.Prefix == "B", Ct)));
    }

    [Fact]
    public async Task Bad_ticket_requests_get_a_clear_error()
    {
        using var client = App.Api();
        using var wrongService = await client.PostAsJsonAsync("/api/v1/offices/kita/tickets", new { service = "chuo-address" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrongService.StatusCode);
        Assert.Contains("service", await wrongService.Content.ReadAsStringAsync(Ct));
        using var noOffice = await client.PostAsJsonAsync("/api/v1/offices/atlantis/tickets", new { service = "x" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, noOffice.StatusCode);
    }

    [Fact]
    public async Task A_clerk_calls_the_next_person_priority_first_and_the_board_and_the_phone_show_it()
    {
        using var client = App.Api();
        var walkIn = await TakeAsync(client, "nishi", "nishi-address");
        var second = await TakeAsync(client, "nishi", "nishi-address");
        Assert.Equal(2, second.GetProperty("position").GetInt32());
        Assert.True(second.GetProperty("estimatedWaitMinutes").GetInt32() > 0);
        var assisted = await TakeAsync(client, "nishi", "nishi-address", accessibility: true);

        using var resident = App.Api();
        resident.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DemoApiTests<TApp>.TokenAsync(resident, new { persona = "single-adult" }));
        using var refused = await resident.PostAsync("/api/v1/staff/counters/nishi-1/call-next", null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var staff = await StaffClientAsync("clerk");
        var call = await CallNextAsync(staff, "nishi-1");
        Assert.Equal("called", call.GetProperty("result").GetString());
        Assert.Equal(assisted.GetProperty("number").GetString(), call.GetProperty("ticket").GetProperty("number").GetString());
        var next = await CallNextAsync(staff, "nishi-1");
        Assert.Equal(walkIn.GetProperty("number").GetString(), next.GetProperty("ticket").GetProperty("number").GetString());

        var board = await CatalogTests<TApp>.GetJsonAsync(client, "/api/v1/offices/nishi/board");
        var counter = board.GetProperty("counters").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "nishi-1");
        Assert.Equal(walkIn.GetProperty("number").GetString(), counter.GetProperty("now").GetString());
        var address = board.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("serviceId").GetString() == "nishi-address");
        Assert.Equal(1, address.GetProperty("waiting").GetInt32());

        var token = new Uri(walkIn.GetProperty("url").GetString()!).AbsolutePath.Split('/')[^1];
        var view = await CatalogTests<TApp>.GetJsonAsync(client, $"/api/v1/tickets/{token}");
        Assert.Equal("called", view.GetProperty("status").GetString());
        Assert.Equal("1番窓口", view.GetProperty("counter").GetString());
        using var browser = App.Browser();
        var phone = await browser.GetAsync($"/tickets/{token}");
        Assert.Contains("1番窓口へお越しください", phone.Document.QuerySelector("#ticket-status")!.TextContent);
        Assert.StartsWith("data:image/png;base64,", phone.Document.QuerySelector("img.ticket-qr")!.GetAttribute("src"));

        // The assisted ticket was finished when the next one was called.
        Assert.Equal(TicketStatus.Done, await WithDb(db => db.Tickets.Where(t => t.Id == Guid.Parse(assisted.GetProperty("id").GetString()!)).Select(t => t.Status).SingleAsync(Ct)));
        var last = await CallNextAsync(staff, "nishi-1");
        var empty = await CallNextAsync(staff, "nishi-1");
        Assert.Equal("called", last.GetProperty("result").GetString());
        Assert.Equal("nobody", empty.GetProperty("result").GetString());
    }

    [Fact]
    public async Task The_kiosk_prints_a_ticket_once_per_touch_and_the_console_recalls_transfers_and_marks_no_shows()
    {
        using var kiosk = App.Browser();
        var page = await kiosk.GetAsync("/counters/midori/kiosk");
        Assert.Equal("てんにゅう・てんしゅつ・てんきょ", page.Document.QuerySelector("button[value='midori-address'] rt")!.TextContent);
        var ticket = await kiosk.SubmitAsync(page, "form.kiosk", new Dictionary<string, string> { ["service"] = "midori-address" });
        Assert.Equal("A-001", ticket.Document.QuerySelector("#ticket-number")!.TextContent);
        // The same touch sent twice (a double tap, a retry) gives the same ticket.
        var again = await kiosk.SubmitAsync(page, "form.kiosk", new Dictionary<string, string> { ["service"] = "midori-address" });
        Assert.Equal(ticket.Url, again.Url);
        Assert.Equal(1, await WithDb(db => db.Tickets.CountAsync(t => t.OfficeId == "midori", Ct)));

        var clerk = await StaffSessionAsync("clerk");
        var console = await clerk.GetAsync("/staff/counters/midori-1");
        var called = await clerk.SubmitAsync(console, "form[action*='handler=Call']");
        Assert.Contains("A-001", called.Document.QuerySelector("#current")!.TextContent);
        var after = called;
        for (var i = 0; i < 2; i++)
        {
            after = await clerk.SubmitAsync(after, "form[action*='handler=Act']", new Dictionary<string, string> { ["action"] = "recall" });
        }
        Assert.Contains("呼出し3回", after.Document.QuerySelector("#current")!.TextContent);
        // After three calls, a recall marks the ticket as a no-show.
        var gone = await clerk.SubmitAsync(after, "form[action*='handler=Act']", new Dictionary<string, string> { ["action"] = "recall" });
        Assert.Contains("対応中の番号はありません", gone.Document.QuerySelector("#current")!.TextContent);
        Assert.Equal(TicketStatus.NoShow, await WithDb(db => db.Tickets.Where(t => t.OfficeId == "midori").Select(t => t.Status).SingleAsync(Ct)));
        var noShow = await kiosk.GetAsync(ticket.Url.PathAndQuery);
        Assert.Contains("取り消しました", noShow.Document.QuerySelector("#ticket-status")!.TextContent);

        // A second ticket goes to the insurance queue by transfer, keeping its number.
        var second = await kiosk.SubmitAsync(await kiosk.GetAsync("/counters/midori/kiosk"), "form.kiosk", new Dictionary<string, string> { ["service"] = "midori-address" });
        var calledAgain = await clerk.SubmitAsync(await clerk.GetAsync("/staff/counters/midori-1"), "form[action*='handler=Call']");
        var transferred = await clerk.SubmitAsync(calledAgain, "#transfer-form", new Dictionary<string, string> { ["toService"] = "midori-insurance" });
        Assert.Contains("対応中の番号はありません", transferred.Document.QuerySelector("#current")!.TextContent);
        var insurance = await clerk.SubmitAsync(await clerk.GetAsync("/staff/counters/midori-6"), "form[action*='handler=Call']");
        Assert.Contains(second.Document.QuerySelector("#ticket-number")!.TextContent, insurance.Document.QuerySelector("#current")!.TextContent);
    }

    [Fact]
    public async Task A_resident_who_asked_is_mailed_when_the_turn_is_near()
    {
        using var client = App.Api();
        var tickets = new List<JsonElement>();
        for (var i = 0; i < 6; i++) tickets.Add(await TakeAsync(client, "minato", "minato-children"));
        var last = tickets[^1];
        using var phone = App.Browser();
        var page = await phone.GetAsync(new Uri(last.GetProperty("url").GetString()!).PathAndQuery);
        var bad = await phone.SubmitAsync(page, "form[action*='handler=Notify']", new Dictionary<string, string> { ["Email"] = "not-an-address" });
        Assert.Contains("メールアドレスを正しく", bad.Document.QuerySelector(".error-summary")!.TextContent);
        var on = await phone.SubmitAsync(page, "form[action*='handler=Notify']", new Dictionary<string, string> { ["Email"] = "waiting@example.jp" });
        Assert.NotNull(on.Document.QuerySelector(".notice[role=status]"));

        using var staff = await StaffClientAsync("clerk");
        Task<int> NoticesAsync() => WithDb(db => db.OutboxMessages.CountAsync(m => m.Payload.Contains("waiting@example.jp"), Ct));
        await CallNextAsync(staff, "minato-21");
        Assert.Equal(0, await NoticesAsync());
        await CallNextAsync(staff, "minato-21");
        Assert.Equal(1, await NoticesAsync());
        var mail = await Mailbox.WaitForAsync(App.MailFolder, m => m.To.ToString().Contains("waiting@example.jp", StringComparison.Ordinal));
        Assert.Contains(last.GetProperty("number").GetString()!, mail.Subject);
        Assert.Contains("/tickets/", mail.TextBody);
        // Once only.
        await CallNextAsync(staff, "minato-21");
        Assert.Equal(1, await NoticesAsync());
    }

    [Fact]
    public async Task A_slot_is_booked_once_reminded_the_day_before_and_hoarding_is_stopped()
    {
        var calendar = App.Service<CityCalendar>();
        var day = calendar.NextOpenDay(calendar.Today.AddDays(2));
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var browser = App.Browser();
        var page = await browser.GetAsync($"/counters/kita/book?service=kita-certificates&date={date}");
        var slot = page.Document.QuerySelector("input[name=start]:not([disabled])")!.GetAttribute("value")!;
        var bad = await browser.SubmitAsync(page, "form[method=post]", new Dictionary<string, string> { ["start"] = slot, ["Email"] = "x" });
        Assert.Contains("メールアドレスを正しく", bad.Document.QuerySelector(".error-summary")!.TextContent);

        var booked = await browser.SubmitAsync(page, "form[method=post]", new Dictionary<string, string> { ["start"] = slot, ["Email"] = "booker@example.jp", ["purpose"] = "住民票の写し2通" });
        Assert.True(booked.Url.AbsolutePath.StartsWith("/appointments/", StringComparison.Ordinal), booked.Document.QuerySelector(".error-summary")?.TextContent ?? booked.Text[..500]);
        Assert.Matches("^/appointments/[0-9a-f]{32}$", booked.Url.AbsolutePath);
        Assert.Contains("予約済み", booked.Document.QuerySelector("#appointment-status")!.TextContent);
        Assert.Contains(date, booked.Document.QuerySelector("#appointment-when")!.TextContent);
        var confirmation = await Mailbox.WaitForAsync(App.MailFolder, m => m.To.ToString().Contains("booker@example.jp", StringComparison.Ordinal));
        Assert.Contains(booked.Url.AbsolutePath, confirmation.TextBody);
        // The reminder waits in the outbox until 09:00 the day before.
        var reminderAt = calendar.ToUtc(day.AddDays(-1), new TimeOnly(9, 0));
        Assert.True(await WithDb(db => db.OutboxMessages.AnyAsync(m => m.NextAttemptAt == reminderAt && m.Payload.Contains("booker@example.jp"), Ct)));

        // The slot held one online place: it is gone for the next person.
        using var other = App.Browser();
        var full = await other.GetAsync($"/counters/kita/book?service=kita-certificates&date={date}");
        Assert.NotNull(full.Document.QuerySelector($"input[name=start][value='{slot}'][disabled]"));
        var late = await other.SubmitAsync(full, "form[method=post]", new Dictionary<string, string> { ["start"] = slot, ["Email"] = "second@example.jp" });
        Assert.Contains("満員", late.Document.QuerySelector(".error-summary")!.TextContent);

        // The place kept for staff is still there for a booking taken by phone, and then the slot is full.
        var clerk = await StaffSessionAsync("clerk");
        var staffPage = await clerk.GetAsync($"/staff/counters/book/kita?serviceId=kita-certificates&date={date}");
        var byPhone = await clerk.SubmitAsync(staffPage, "main form[method=post]", new Dictionary<string, string> { ["start"] = slot, ["purpose"] = "電話で受付" });
        Assert.NotNull(byPhone.Document.QuerySelector("#booked"));
        var noMore = await clerk.SubmitAsync(staffPage, "main form[method=post]", new Dictionary<string, string> { ["start"] = slot });
        Assert.Contains("満員", noMore.Document.QuerySelector(".error-summary")!.TextContent);

        // A third booking by the same address is refused.
        var slots = full.Document.QuerySelectorAll("input[name=start]:not([disabled])").Select(i => i.GetAttribute("value")!).ToList();
        await other.SubmitAsync(full, "form[method=post]", new Dictionary<string, string> { ["start"] = slots[0], ["Email"] = "booker@example.jp" });
        var third = await other.SubmitAsync(full, "form[method=post]", new Dictionary<string, string> { ["start"] = slots[1], ["Email"] = "booker@example.jp" });
        Assert.Contains("2件まで", third.Document.QuerySelector(".error-summary")!.TextContent);

        using var ics = await browser.Http.GetAsync(booked.Url.AbsolutePath + ".ics", Ct);
        Assert.Contains("BEGIN:VEVENT", await ics.Content.ReadAsStringAsync(Ct));
        Task<int> RemindersAsync() => WithDb(db => db.OutboxMessages.CountAsync(m => m.NextAttemptAt == reminderAt && m.Payload.Contains("booker@example.jp") && m.Status == Madoguchi.Web.Platform.Outbox.OutboxStatus.Pending, Ct));
        Assert.Equal(2, await RemindersAsync());
        var cancelled = await browser.SubmitAsync(booked, "form[action*='handler=Cancel']");
        Assert.Contains("取り消しました", cancelled.Document.QuerySelector("#appointment-status")!.TextContent);
        // The cancelled visit's reminder is withdrawn; the other booking keeps its own.
        Assert.Equal(1, await RemindersAsync());
        var free = await other.GetAsync($"/counters/kita/book?service=kita-certificates&date={date}");
        Assert.NotNull(free.Document.QuerySelector($"input[name=start][value='{slot}']:not([disabled])"));
    }

    [Fact]
    public async Task A_signed_in_residents_bookings_are_in_their_data_and_go_with_their_account()
    {
        var calendar = App.Service<CityCalendar>();
        var date = calendar.NextOpenDay(calendar.Today.AddDays(3)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var browser = await SignInWithDemoProviderAsync("senior");
        var page = await browser.GetAsync($"/counters/higashi/book?service=higashi-insurance&date={date}");
        Assert.Equal("tome.ito@example.jp", page.Document.QuerySelector("#email")!.GetAttribute("value"));
        var slot = page.Document.QuerySelector("input[name=start]:not([disabled])")!.GetAttribute("value")!;
        var booked = await browser.SubmitAsync(page, "main form[method=post]", new Dictionary<string, string> { ["start"] = slot });
        Assert.StartsWith("/appointments/", booked.Url.AbsolutePath, StringComparison.Ordinal);

        using var download = await browser.Http.GetAsync("/account/data?handler=Download", Ct);
        using var export = JsonDocument.Parse(await download.Content.ReadAsStringAsync(Ct));
        Assert.Equal("higashi-insurance", export.RootElement.GetProperty("appointments")[0].GetProperty("serviceId").GetString());

        var data = await browser.GetAsync("/account/data");
        await browser.SubmitAsync(data, "form[action*='handler=Delete']", new Dictionary<string, string> { ["Confirm"] = "true" });
        Assert.False(await WithDb(db => db.Appointments.AnyAsync(a => a.Email == "tome.ito@example.jp", Ct)));
    }

    [Fact]
    public async Task A_board_connection_gets_the_whole_board_then_every_change_in_order()
    {
        using var client = App.Api();
        client.Timeout = TimeSpan.FromSeconds(30);
        using var response = await client.GetAsync("/counters/minami/board/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var first = await NextBoardAsync(reader);
        await TakeAsync(App.Api(), "minami", "minami-mynumber");
        JsonElement second;
        do
        {
            second = await NextBoardAsync(reader);
        }
        while (second.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("serviceId").GetString() == "minami-mynumber").GetProperty("waiting").GetInt32() == 0);
        Assert.True(second.GetProperty("version").GetInt64() > first.GetProperty("version").GetInt64());
    }

    internal static async Task<JsonElement> NextBoardAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line[6..]).RootElement.Clone();
            }
        }
        throw new EndOfStreamException();
    }

    [Fact]
    public async Task Waits_and_statistics_are_public_and_hold_no_personal_data()
    {
        using var client = App.Api();
        await TakeAsync(client, "chuo", "chuo-children");
        var waits = await CatalogTests<TApp>.GetJsonAsync(client, "/api/v1/offices/chuo/waits");
        Assert.True(waits.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("serviceId").GetString() == "chuo-children").GetProperty("waiting").GetInt32() >= 1);
        var stats = await CatalogTests<TApp>.GetJsonAsync(client, "/api/v1/offices/chuo/stats");
        var row = stats.EnumerateArray().First(r => r.GetProperty("service").GetString() == "chuo-children");
        Assert.True(row.GetProperty("issued").GetInt32() >= 1);
        Assert.DoesNotContain("token", stats.GetRawText(), StringComparison.OrdinalIgnoreCase);
        using var bad = await client.GetAsync("/api/v1/offices/chuo/stats?date=yesterday", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_call_on_one_node_reaches_a_board_connected_to_the_other()
    {
        await using var second = new MadoguchiApp(App.Provider) { SharedDatabase = App.Database };
        await second.InitializeAsync();
        using var client = second.Api();
        client.Timeout = TimeSpan.FromSeconds(30);
        using var response = await client.GetAsync("/counters/chuo/board/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        await NextBoardAsync(reader);

        await TakeAsync(App.Api(), "chuo", "chuo-koseki");
        using var staff = await StaffClientAsync("clerk");
        var call = await CallNextAsync(staff, "chuo-3");
        var number = call.GetProperty("ticket").GetProperty("number").GetString();
        JsonElement board;
        do
        {
            board = await NextBoardAsync(reader);
        }
        while (board.GetProperty("counters").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "chuo-3").GetProperty("now").GetString() != number);
    }
}

public sealed class CountersTests_Sqlite(SqliteApp app) : CountersTests<SqliteApp>(app);

public sealed class CountersTests_Postgres(PostgresApp app) : CountersTests<PostgresApp>(app);
