using System.Security.Cryptography;
using Madoguchi.Web.Platform.Mail;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Counters;

public sealed class CountersOptions
{
    /// <summary>A ticket called this many times without the resident coming forward becomes a no-show.</summary>
    public int NoShowAfterCalls { get; set; } = 3;
    /// <summary>"Your turn is near" goes out when this many people or fewer are ahead.</summary>
    public int NearNoticeAhead { get; set; } = 3;
    /// <summary>Future appointments one resident or address may hold at once (stops hoarding).</summary>
    public int MaxActiveAppointments { get; set; } = 2;
    public int BookingDaysAhead { get; set; } = 30;
    public TimeOnly Opens { get; set; } = new(8, 30);
    public TimeOnly Closes { get; set; } = new(17, 0);
    /// <summary>Offices (ids) that give out remote tickets to people not yet in the building.</summary>
    public List<string> RemoteTicketOffices { get; set; } = [];
    /// <summary>How long each board connection waits before checking the version itself (a missed notification costs at most this).</summary>
    public double BoardPollSeconds { get; set; } = 2;
}

public sealed record WaitEstimate(int Ahead, int Minutes, int Low, int High);

public sealed record ServiceWait(string ServiceId, string Name, string Prefix, int Waiting, int OpenCounters, WaitEstimate Estimate);

public sealed record CounterNow(string Id, string Name, string? Now, string? Status);

public sealed record Board(string OfficeId, long Version, IReadOnlyList<CounterNow> Counters, IReadOnlyList<ServiceWait> Services, IReadOnlyList<string> Recent);

public enum CallResult { Called, Nobody, UnknownCounter, Closed }

/// <summary>
/// The queue's rules in one place: issuing numbers, calling, recalls and no-shows, transfers, and wait estimates.
/// Every change bumps the office's version in the same transaction and tells every node (see <see cref="QueueEvents"/>).
/// </summary>
public sealed class Queue(AppDb db, TimeProvider clock, CityCalendar calendar, QueueEvents events, Strings strings, IOptions<CountersOptions> options)
{
    private CountersOptions Options => options.Value;

    public DateOnly Today => calendar.Today;

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Gives out the next number of the service's prefix for today. The number and the ticket commit together, or
    /// neither does. The same request key (a double click, a client's retry) returns the ticket already given.
    /// </summary>
    public async Task<Ticket> IssueAsync(CounterService service, string channel, bool accessibility, Guid? appointmentId, string? requestKey, CancellationToken ct)
    {
        if (requestKey is not null && await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.OfficeId == service.OfficeId && t.RequestKey == requestKey, ct) is { } earlier)
        {
            return earlier;
        }
        var day = Today;
        var ticket = new Ticket
        {
            OfficeId = service.OfficeId,
            ServiceId = service.Id,
            Day = day,
            Prefix = service.Prefix,
            Number = 0,
            Channel = channel,
            Accessibility = accessibility,
            Priority = appointmentId is not null ? 2 : accessibility ? 1 : 0,
            Token = NewToken(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            AppointmentId = appointmentId,
            RequestKey = requestKey,
        };
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // One statement, atomic on both databases: the row lock (PostgreSQL) or the write lock (SQLite) orders concurrent kiosks.
            var number = (await db.Database.SqlQuery<int>($"""
                INSERT INTO ticket_sequences ("OfficeId", "Day", "Prefix", "Last") VALUES ({service.OfficeId}, {day}, {service.Prefix}, 1)
                ON CONFLICT ("OfficeId", "Day", "Prefix") DO UPDATE SET "Last" = ticket_sequences."Last" + 1
                RETURNING "Last" AS "Value"
                """).ToListAsync(ct)).Single();
            ticket.Number = number;
            db.Tickets.Add(ticket);
            await db.SaveChangesAsync(ct);
            await BumpAsync(service.OfficeId, ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException) when (requestKey is not null)
        {
            db.ChangeTracker.Clear();
            return await db.Tickets.AsNoTracking().SingleAsync(t => t.OfficeId == service.OfficeId && t.RequestKey == requestKey, ct);
        }
        events.Changed(service.OfficeId);
        return ticket;
    }

    /// <summary>Finishes the counter's current ticket and calls the next one its services allow: appointments, then accessibility needs, then arrival order.</summary>
    public async Task<(CallResult Result, Ticket? Ticket)> CallNextAsync(string counterId, CancellationToken ct)
    {
        var counter = await db.Counters.SingleOrDefaultAsync(c => c.Id == counterId, ct);
        if (counter is null) return (CallResult.UnknownCounter, null);
        if (!counter.Open) return (CallResult.Closed, null);
        var now = clock.GetUtcNow().UtcDateTime;
        var day = Today;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Tickets.Where(t => t.CounterId == counterId && t.Day == day && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Done).SetProperty(t => t.DoneAt, now), ct);
            var next = await db.Tickets.AsNoTracking()
                .Where(t => t.OfficeId == counter.OfficeId && t.Day == day && t.Status == TicketStatus.Waiting && counter.Services.Contains(t.ServiceId))
                .OrderByDescending(t => t.Priority).ThenBy(t => t.CreatedAt).ThenBy(t => t.Number)
                .FirstOrDefaultAsync(ct);
            if (next is null)
            {
                await BumpAsync(counter.OfficeId, ct);
                await transaction.CommitAsync(ct);
                events.Changed(counter.OfficeId);
                return (CallResult.Nobody, null);
            }
            // Two counters may pick the same ticket; only one update wins, the other tries the next ticket.
            var won = await db.Tickets.Where(t => t.Id == next.Id && t.Status == TicketStatus.Waiting)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Called).SetProperty(t => t.CounterId, counterId)
                    .SetProperty(t => t.CalledAt, now).SetProperty(t => t.Calls, 1), ct);
            if (won == 0)
            {
                await transaction.RollbackAsync(ct);
                continue;
            }
            await QueueNearNoticesAsync(counter.OfficeId, ct);
            await BumpAsync(counter.OfficeId, ct);
            await transaction.CommitAsync(ct);
            events.Changed(counter.OfficeId);
            return (CallResult.Called, await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == next.Id, ct));
        }
        return (CallResult.Nobody, null);
    }

    /// <summary>Changes one ticket at a counter: recall (a no-show after too many calls), start, finish, no-show, or transfer to another service.</summary>
    public async Task<Ticket?> ActAsync(string counterId, Guid ticketId, string action, string? toService, CancellationToken ct)
    {
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == ticketId && t.CounterId == counterId, ct);
        if (ticket is null || ticket.Status is TicketStatus.Done or TicketStatus.NoShow or TicketStatus.Cancelled) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        switch (action)
        {
            case "recall" when ticket.Calls >= Options.NoShowAfterCalls:
                // Called often enough without coming forward: the next person's turn.
                ticket.Status = TicketStatus.NoShow;
                ticket.DoneAt = now;
                break;
            case "recall":
                ticket.Calls++;
                ticket.CalledAt = now;
                break;
            case "start":
                ticket.Status = TicketStatus.Serving;
                ticket.ServingAt = now;
                break;
            case "finish":
                ticket.Status = TicketStatus.Done;
                ticket.DoneAt = now;
                break;
            case "noshow":
                ticket.Status = TicketStatus.NoShow;
                ticket.DoneAt = now;
                break;
            case "transfer" when toService is not null && await db.CounterServices.AnyAsync(s => s.Id == toService && s.OfficeId == ticket.OfficeId, ct):
                // Back in the queue of the other service, keeping its place in arrival order.
                ticket.ServiceId = toService;
                ticket.Status = TicketStatus.Waiting;
                ticket.CounterId = null;
                ticket.Calls = 0;
                break;
            default:
                return null;
        }
        if (ticket.Status is TicketStatus.Done or TicketStatus.NoShow)
        {
            ticket.NotifyEmail = null;
            ticket.NotifyUrl = null;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await BumpAsync(ticket.OfficeId, ct);
        await transaction.CommitAsync(ct);
        events.Changed(ticket.OfficeId);
        return ticket;
    }

    /// <summary>Tells every screen of the office to redraw (after a counter was opened, closed or given other services).</summary>
    public async Task TouchAsync(string officeId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await BumpAsync(officeId, ct);
        await transaction.CommitAsync(ct);
        events.Changed(officeId);
    }

    private async Task BumpAsync(string officeId, CancellationToken ct)
    {
        var updated = await db.OfficeQueues.Where(q => q.OfficeId == officeId).ExecuteUpdateAsync(s => s.SetProperty(q => q.Version, q => q.Version + 1), ct);
        if (updated == 0)
        {
            db.OfficeQueues.Add(new OfficeQueue { OfficeId = officeId, Version = 1 });
            await db.SaveChangesAsync(ct);
        }
        if (db.IsPostgres)
        {
            // Delivered to every node's listener when the transaction commits, never before.
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({QueueEvents.Channel}, {officeId})", ct);
        }
    }

    /// <summary>Mails residents who asked to be told, once, when few enough people are ahead of them.</summary>
    private async Task QueueNearNoticesAsync(string officeId, CancellationToken ct)
    {
        var waiting = await db.Tickets.Where(t => t.OfficeId == officeId && t.Day == Today && t.Status == TicketStatus.Waiting)
            .OrderByDescending(t => t.Priority).ThenBy(t => t.CreatedAt).ToListAsync(ct);
        foreach (var group in waiting.GroupBy(t => t.ServiceId))
        {
            foreach (var (ticket, ahead) in group.Select((t, i) => (t, i)))
            {
                if (ahead <= Options.NearNoticeAhead && ticket.NotifyEmail is { } email && !ticket.NearNoticeSent)
                {
                    // The resident's language is not known here: the notice says it in Japanese and English.
                    ticket.NearNoticeSent = true;
                    string Say(string key) => string.Join("\n\n", new[] { Languages.Japanese, Languages.English }.Select(l => string.Format(System.Globalization.CultureInfo.InvariantCulture, strings.Get(l, key), ticket.Display, ahead, ticket.NotifyUrl)));
                    db.QueueMail(clock, email, string.Join(" / ", new[] { Languages.Japanese, Languages.English }.Select(l => string.Format(System.Globalization.CultureInfo.InvariantCulture, strings.Get(l, "queue.near.subject"), ticket.Display))), Say("queue.near.body"));
                }
            }
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<Board> BoardAsync(string officeId, CancellationToken ct)
    {
        var version = await db.OfficeQueues.Where(q => q.OfficeId == officeId).Select(q => q.Version).FirstOrDefaultAsync(ct);
        var counters = await db.Counters.AsNoTracking().Where(c => c.OfficeId == officeId).OrderBy(c => c.Order).ToListAsync(ct);
        var day = Today;
        var active = await db.Tickets.AsNoTracking()
            .Where(t => t.OfficeId == officeId && t.Day == day && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving))
            .ToListAsync(ct);
        var recent = active.OrderByDescending(t => t.CalledAt).Take(6).Select(t => t.Display).ToList();
        var services = await WaitsAsync(officeId, ct);
        return new Board(officeId, version,
            [.. counters.Select(c => active.FirstOrDefault(t => t.CounterId == c.Id) is { } t
                ? new CounterNow(c.Id, c.Name, t.Display, t.Status.ToString().ToLowerInvariant())
                : new CounterNow(c.Id, c.Name, null, c.Open ? null : "closed"))],
            services, recent);
    }

    /// <summary>Waiting counts and estimates per service, from today's measured service times and the counters open for it.</summary>
    public async Task<IReadOnlyList<ServiceWait>> WaitsAsync(string officeId, CancellationToken ct)
    {
        var services = await db.CounterServices.AsNoTracking().Where(s => s.OfficeId == officeId).OrderBy(s => s.Order).ToListAsync(ct);
        var counters = await db.Counters.AsNoTracking().Where(c => c.OfficeId == officeId && c.Open).ToListAsync(ct);
        var day = Today;
        var waiting = await db.Tickets.AsNoTracking().Where(t => t.OfficeId == officeId && t.Day == day && t.Status == TicketStatus.Waiting)
            .GroupBy(t => t.ServiceId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var durations = await ServiceMinutesAsync(officeId, ct);
        return [.. services.Select(s =>
        {
            var count = waiting.FirstOrDefault(w => w.Key == s.Id)?.Count ?? 0;
            var open = counters.Count(c => c.Services.Contains(s.Id));
            return new ServiceWait(s.Id, s.Name, s.Prefix, count, open, Estimate(count, open, durations.GetValueOrDefault(s.Id), s.AverageMinutes));
        })];
    }

    /// <summary>Minutes from call to finish of today's last 30 finished tickets per service.</summary>
    private async Task<Dictionary<string, List<double>>> ServiceMinutesAsync(string officeId, CancellationToken ct)
    {
        var day = Today;
        var done = await db.Tickets.AsNoTracking()
            .Where(t => t.OfficeId == officeId && t.Day == day && t.Status == TicketStatus.Done && t.CalledAt != null && t.DoneAt != null)
            .Select(t => new { t.ServiceId, t.CalledAt, t.DoneAt }).ToListAsync(ct);
        return done.GroupBy(d => d.ServiceId).ToDictionary(
            g => g.Key,
            g => g.OrderByDescending(d => d.DoneAt).Take(30).Select(d => (d.DoneAt!.Value - d.CalledAt!.Value).TotalMinutes).ToList());
    }

    /// <summary>
    /// People ahead × minutes per person ÷ open counters. Minutes per person is the median of today's measured service
    /// times once five are known (else the configured average); the range uses their 25th and 75th percentiles.
    /// </summary>
    public static WaitEstimate Estimate(int ahead, int openCounters, List<double>? measured, int averageMinutes)
    {
        double mid = averageMinutes, low = averageMinutes * 0.7, high = averageMinutes * 1.5;
        if (measured is { Count: >= 5 })
        {
            var sorted = measured.Order().ToList();
            double At(double p) => sorted[(int)Math.Round(p * (sorted.Count - 1))];
            (low, mid, high) = (At(0.25), At(0.5), At(0.75));
        }
        var counters = Math.Max(1, openCounters);
        // With people ahead, every counter is busy: a place frees after about one service split over the counters, then each person ahead takes theirs.
        var turns = ahead == 0 ? 0 : ahead + 1;
        int Minutes(double perPerson) => (int)Math.Ceiling(turns * perPerson / counters);
        return new WaitEstimate(ahead, Minutes(mid), Minutes(low), Minutes(high));
    }

    /// <summary>The resident's place: people ahead in the same service (higher priority first, then arrival).</summary>
    public async Task<int> AheadAsync(Ticket ticket, CancellationToken ct) =>
        ticket.Status != TicketStatus.Waiting ? 0 : await db.Tickets.CountAsync(t =>
            t.OfficeId == ticket.OfficeId && t.Day == ticket.Day && t.ServiceId == ticket.ServiceId && t.Status == TicketStatus.Waiting
            && (t.Priority > ticket.Priority || (t.Priority == ticket.Priority && t.CreatedAt < ticket.CreatedAt)), ct);

    public async Task<WaitEstimate> EstimateAsync(Ticket ticket, CancellationToken ct)
    {
        var ahead = await AheadAsync(ticket, ct);
        var service = await db.CounterServices.AsNoTracking().SingleAsync(s => s.Id == ticket.ServiceId, ct);
        var open = (await db.Counters.AsNoTracking().Where(c => c.OfficeId == ticket.OfficeId && c.Open).ToListAsync(ct)).Count(c => c.Services.Contains(ticket.ServiceId));
        var durations = await ServiceMinutesAsync(ticket.OfficeId, ct);
        return Estimate(ahead, open, durations.GetValueOrDefault(ticket.ServiceId), service.AverageMinutes);
    }
}
