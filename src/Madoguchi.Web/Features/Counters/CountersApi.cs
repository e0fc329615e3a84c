using System.Globalization;
using System.Threading.RateLimiting;
using Madoguchi.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Madoguchi.Web.Features.Counters;

/// <summary>A signed-in resident's bookings are their data: in their download, and gone with their account.</summary>
internal sealed class AppointmentsData : IResidentData
{
    public string Key => "appointments";

    public async Task<object> ExportAsync(AppDb db, Guid residentId, CancellationToken ct) =>
        await db.Appointments.AsNoTracking().Where(a => a.ResidentId == residentId).OrderBy(a => a.Start)
            .Select(a => new { a.OfficeId, a.ServiceId, a.Start, Status = a.Status.ToString(), a.Email, a.Purpose, a.CreatedAt }).ToListAsync(ct);
}

public static class CountersSetup
{
    public const string TicketLimit = "tickets";

    public static IHostApplicationBuilder AddCounters(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<CountersOptions>(builder.Configuration.GetSection("Counters"));
        builder.Services.AddScoped<Queue>();
        builder.Services.AddScoped<Booking>();
        builder.Services.AddSingleton<QueueEvents>();
        builder.Services.AddHostedService<QueueWatcher>();
        builder.Services.AddScoped<Platform.IDemoSeeder, CountersSeed>();
        builder.Services.AddSingleton<Platform.IVerb, GenerateOfficesVerb>();
        builder.Services.AddScoped<IResidentData, AppointmentsData>();
        var perMinute = builder.Configuration.GetValue("RateLimits:TicketsPerMinute", 30);
        // Tickets through the API are limited per client address, so nobody takes a hundred numbers to sell.
        builder.Services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o => o.AddPolicy(TicketLimit, context =>
            RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
        return builder;
    }

    public static IEndpointRouteBuilder MapCounters(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Counters");
        api.MapGet("/offices", OfficesAsync);
        api.MapPost("/offices/{office}/tickets", IssueAsync).RequireRateLimiting(TicketLimit);
        api.MapGet("/offices/{office}/board", BoardAsync);
        api.MapGet("/offices/{office}/waits", WaitsAsync);
        api.MapGet("/offices/{office}/stats", StatsAsync);
        api.MapGet("/tickets/{token}", TicketAsync);
        api.MapPost("/staff/counters/{counter}/call-next", CallNextAsync).RequireAuthorization(Policies.CounterApi);

        app.MapGet("/counters/{office}/board/events", BoardEventsAsync).ExcludeFromDescription();
        app.MapGet("/appointments/{token}.ics", AppointmentCalendarAsync).ExcludeFromDescription();
        return app;
    }

    public sealed record NamedView(string Id, string Name);
    public sealed record OfficeView(string Id, string Name, IReadOnlyList<NamedView> Services, IReadOnlyList<NamedView> Counters);

    private static async Task<Ok<OfficeView[]>> OfficesAsync(AppDb db, Ui t, CancellationToken ct)
    {
        var services = await db.CounterServices.AsNoTracking().OrderBy(s => s.Order).ToListAsync(ct);
        var counters = await db.Counters.AsNoTracking().OrderBy(c => c.Order).ToListAsync(ct);
        var offices = await db.Offices.AsNoTracking().OrderBy(o => o.Order).ToListAsync(ct);
        return TypedResults.Ok(offices.Where(o => services.Any(s => s.OfficeId == o.Id)).Select(o => new OfficeView(
            o.Id, o.Names.In(t.Language),
            [.. services.Where(s => s.OfficeId == o.Id).Select(s => new NamedView(s.Id, s.Names.In(t.Language)))],
            [.. counters.Where(c => c.OfficeId == o.Id).Select(c => new NamedView(c.Id, t.Language == Languages.English && c.NameEn.Length > 0 ? c.NameEn : c.Name))])).ToArray());
    }

    public sealed record TicketRequest(string? Service, bool Accessibility = false);
    public sealed record TicketView(Guid Id, string Number, int Position, int EstimatedWaitMinutes, int EstimatedWaitLow, int EstimatedWaitHigh, string Status, string? Counter, string Url);

    private static async Task<Results<Ok<TicketView>, NotFound, ValidationProblem>> IssueAsync(
        string office, TicketRequest request, HttpContext http, AppDb db, Queue queue, Ui t, CancellationToken ct)
    {
        var service = await db.CounterServices.AsNoTracking().SingleOrDefaultAsync(s => s.OfficeId == office && s.Id == request.Service, ct);
        if (service is null)
        {
            return await db.Offices.AnyAsync(o => o.Id == office, ct)
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["service"] = [t["queue.error.service"]] })
                : TypedResults.NotFound();
        }
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Idempotency-Key"] = [t["queue.error.key"]] });
        }
        var ticket = await queue.IssueAsync(service, TicketChannel.Api, request.Accessibility, null, key.Length == 0 ? null : $"api:{key}", ct);
        return TypedResults.Ok(await ViewAsync(ticket, queue, db, http, ct));
    }

    public static async Task<TicketView> ViewAsync(Ticket ticket, Queue queue, AppDb db, HttpContext http, CancellationToken ct)
    {
        var estimate = await queue.EstimateAsync(ticket, ct);
        var counter = ticket.CounterId is null ? null : await db.Counters.AsNoTracking().Where(c => c.Id == ticket.CounterId).Select(c => c.Name).SingleOrDefaultAsync(ct);
        return new TicketView(ticket.Id, ticket.Display, estimate.Ahead + 1, estimate.Minutes, estimate.Low, estimate.High,
            ticket.Status.ToString().ToLowerInvariant(), counter, $"{http.Request.Scheme}://{http.Request.Host}/tickets/{ticket.Token}");
    }

    private static async Task<Results<Ok<TicketView>, NotFound>> TicketAsync(string token, HttpContext http, AppDb db, Queue queue, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Token == token, ct);
        return ticket is null ? TypedResults.NotFound() : TypedResults.Ok(await ViewAsync(ticket, queue, db, http, ct));
    }

    private static async Task<Results<Ok<Board>, NotFound>> BoardAsync(string office, AppDb db, QueueEvents events, CancellationToken ct) =>
        await db.Offices.AnyAsync(o => o.Id == office, ct) ? TypedResults.Ok((await events.BoardAsync(office, ct)).Board) : TypedResults.NotFound();

    public sealed record WaitsView(string Office, DateTime At, IReadOnlyList<ServiceWait> Services);

    private static async Task<Results<Ok<WaitsView>, NotFound>> WaitsAsync(string office, AppDb db, QueueEvents events, TimeProvider clock, CancellationToken ct) =>
        await db.Offices.AnyAsync(o => o.Id == office, ct)
            ? TypedResults.Ok(new WaitsView(office, clock.GetUtcNow().UtcDateTime, (await events.BoardAsync(office, ct)).Board.Services))
            : TypedResults.NotFound();

    public sealed record HourStats(int Hour, string Service, int Issued, int Served, int NoShows, double? AverageWaitMinutes, double? AverageServiceMinutes);

    /// <summary>Waits by hour and service for a day: tickets issued, served, no-shows, average wait and service time. Open data: no personal data.</summary>
    private static async Task<Results<Ok<HourStats[]>, NotFound, ValidationProblem>> StatsAsync(string office, string? date, AppDb db, Platform.Calendar.CityCalendar calendar, Ui t, CancellationToken ct)
    {
        if (!await db.Offices.AnyAsync(o => o.Id == office, ct)) return TypedResults.NotFound();
        var day = calendar.Today;
        if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["date"] = [t["guide.error.date"]] });
        }
        var tickets = await db.Tickets.AsNoTracking().Where(x => x.OfficeId == office && x.Day == day)
            .Select(x => new { x.ServiceId, x.Status, x.CreatedAt, x.CalledAt, x.DoneAt }).ToListAsync(ct);
        return TypedResults.Ok(tickets.GroupBy(x => (calendar.ToLocal(x.CreatedAt).Hour, x.ServiceId)).OrderBy(g => g.Key).Select(g => new HourStats(
            g.Key.Hour, g.Key.ServiceId, g.Count(), g.Count(x => x.Status == TicketStatus.Done), g.Count(x => x.Status == TicketStatus.NoShow),
            Average(g.Where(x => x.CalledAt != null).Select(x => (x.CalledAt!.Value - x.CreatedAt).TotalMinutes)),
            Average(g.Where(x => x.Status == TicketStatus.Done && x.CalledAt != null && x.DoneAt != null).Select(x => (x.DoneAt!.Value - x.CalledAt!.Value).TotalMinutes)))).ToArray());
    }

    private static double? Average(IEnumerable<double> values) => values.Any() ? Math.Round(values.Average(), 1) : null;

    public sealed record CallView(string Result, TicketView? Ticket);

    private static async Task<Results<Ok<CallView>, NotFound, Conflict<CallView>>> CallNextAsync(string counter, HttpContext http, AppDb db, Queue queue, CancellationToken ct)
    {
        var (result, ticket) = await queue.CallNextAsync(counter, ct);
        return result switch
        {
            CallResult.UnknownCounter => TypedResults.NotFound(),
            CallResult.Closed => TypedResults.Conflict(new CallView("closed", null)),
            CallResult.Nobody => TypedResults.Ok(new CallView("nobody", null)),
            _ => TypedResults.Ok(new CallView("called", await ViewAsync(ticket!, queue, db, http, ct))),
        };
    }

    /// <summary>
    /// Server-sent events for lobby boards and phones: the whole board on connect and on every change, each with the
    /// office's version as its id, so a screen never goes back to an older state and a reconnect resyncs at once.
    /// </summary>
    private static async Task BoardEventsAsync(string office, HttpContext http, AppDb db, QueueEvents events, Microsoft.Extensions.Options.IOptions<CountersOptions> options, CancellationToken ct)
    {
        if (!await db.Offices.AnyAsync(o => o.Id == office, ct))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        long sent = -1;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var next = events.NextChangeAsync(office);
                var (board, json) = await events.BoardAsync(office, ct);
                if (board.Version != sent)
                {
                    await http.Response.WriteAsync($"id: {board.Version}\nevent: board\ndata: {json}\n\n", ct);
                    sent = board.Version;
                }
                else
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                }
                await http.Response.Body.FlushAsync(ct);
                await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(15), ct));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<IResult> AppointmentCalendarAsync(string token, AppDb db, Ui t, CancellationToken ct)
    {
        var appointment = await db.Appointments.AsNoTracking().SingleOrDefaultAsync(a => a.Token == token, ct);
        if (appointment is null) return Results.NotFound();
        var service = await db.CounterServices.AsNoTracking().SingleAsync(s => s.Id == appointment.ServiceId, ct);
        var office = await db.Offices.AsNoTracking().SingleAsync(o => o.Id == appointment.OfficeId, ct);
        var ics = new Ical.Net.Calendar();
        ics.Events.Add(new Ical.Net.CalendarComponents.CalendarEvent
        {
            Uid = $"{appointment.Id}@madoguchi",
            Summary = t.Format("booking.ics.summary", service.Names.In(t.Language)),
            Location = $"{office.Names.In(t.Language)} {office.Address}",
            DtStart = new Ical.Net.DataTypes.CalDateTime(appointment.Start, "UTC"),
            DtEnd = new Ical.Net.DataTypes.CalDateTime(appointment.Start.AddMinutes(service.SlotMinutes), "UTC"),
            Status = appointment.Status == AppointmentStatus.Cancelled ? "CANCELLED" : "CONFIRMED",
        });
        var text = new Ical.Net.Serialization.CalendarSerializer().SerializeToString(ics) ?? "";
        return Results.File(System.Text.Encoding.UTF8.GetBytes(text), "text/calendar; charset=utf-8", "madoguchi-appointment.ics");
    }
}
