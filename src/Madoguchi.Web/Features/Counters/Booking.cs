using Madoguchi.Web.Platform.Calendar;
using Madoguchi.Web.Platform.Mail;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Counters;

public sealed record Slot(DateTime Start, TimeOnly LocalTime, int Free);

/// <summary>The booking forms' shared checks: the email (required online, optional for staff) and the chosen slot.</summary>
public static class BookingForm
{
    public static bool TryRead(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state, Ui t, string? email, bool emailRequired, string? start, out string cleanEmail, out DateTime startUtc)
    {
        cleanEmail = email?.Trim() ?? "";
        if ((emailRequired || cleanEmail.Length > 0) && (cleanEmail.Length is 0 or > 254 || !System.Net.Mail.MailAddress.TryCreate(cleanEmail, out _)))
        {
            state.AddModelError("Email", t["queue.error.email"]);
        }
        if (!DateTime.TryParseExact(start, "O", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out startUtc))
        {
            state.AddModelError("Start", t["booking.error.slot"]);
        }
        return state.IsValid;
    }
}

public enum BookingError { None, NotOpen, Full, Limit, TooLate }

/// <summary>Appointments: slots from the city calendar and opening hours, seats that cannot be double-booked, limits against hoarding, reminders.</summary>
public sealed class Booking(AppDb db, TimeProvider clock, CityCalendar calendar, Queue queue, IOptions<CountersOptions> options)
{
    private CountersOptions Options => options.Value;

    /// <summary>
    /// The slots of a day with their free places: open days only, from now + 30 minutes, up to the booking horizon.
    /// Seats 1 to <see cref="CounterService.OnlineCapacity"/> are for online booking; staff (phone or counter
    /// bookings) may use any free seat up to <see cref="CounterService.SlotCapacity"/>.
    /// </summary>
    public async Task<IReadOnlyList<Slot>> SlotsAsync(CounterService service, DateOnly day, CancellationToken ct, bool staff = false)
    {
        if (!calendar.IsOpen(day) || day < calendar.Today || day > calendar.Today.AddDays(Options.BookingDaysAhead))
        {
            return [];
        }
        var from = calendar.ToUtc(day, Options.Opens);
        var until = calendar.ToUtc(day, Options.Closes);
        var seats = staff ? service.SlotCapacity : service.OnlineCapacity;
        var booked = await db.Appointments.AsNoTracking()
            .Where(a => a.ServiceId == service.Id && a.Start >= from && a.Start < until && a.Status == AppointmentStatus.Booked && a.Seat <= seats)
            .GroupBy(a => a.Start).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var earliest = clock.GetUtcNow().UtcDateTime.AddMinutes(30);
        var slots = new List<Slot>();
        for (var time = Options.Opens; time.AddMinutes(service.SlotMinutes) <= Options.Closes && time >= Options.Opens; time = time.AddMinutes(service.SlotMinutes))
        {
            var start = calendar.ToUtc(day, time);
            if (start < earliest) continue;
            var taken = booked.FirstOrDefault(b => b.Key == start)?.Count ?? 0;
            slots.Add(new Slot(start, time, Math.Max(0, seats - taken)));
        }
        return slots;
    }

    /// <summary>Books a seat. Staff bookings (by phone or at the counter) may use the seats kept for staff and need no email.</summary>
    public async Task<(Appointment? Appointment, BookingError Error)> BookAsync(CounterService service, DateTime start, string email, Guid? residentId, string? purpose, Ui t, string baseUrl, CancellationToken ct, bool staff = false)
    {
        var day = DateOnly.FromDateTime(calendar.ToLocal(start));
        var slot = (await SlotsAsync(service, day, ct, staff)).FirstOrDefault(s => s.Start == start);
        if (slot is null) return (null, BookingError.NotOpen);
        if (slot.Free == 0) return (null, BookingError.Full);
        var now = clock.GetUtcNow().UtcDateTime;
        if (email.Length > 0 || residentId is not null)
        {
            var active = await db.Appointments.CountAsync(a => a.Status == AppointmentStatus.Booked && a.Start > now && ((email.Length > 0 && a.Email == email) || (residentId != null && a.ResidentId == residentId)), ct);
            if (active >= Options.MaxActiveAppointments) return (null, BookingError.Limit);
        }

        // The seat number makes the last place impossible to sell twice: a unique index holds while the booking does.
        for (var seat = 1; seat <= (staff ? service.SlotCapacity : service.OnlineCapacity); seat++)
        {
            var appointment = new Appointment
            {
                OfficeId = service.OfficeId, ServiceId = service.Id, Start = start, Seat = seat, ResidentId = residentId,
                Email = email, Token = Queue.NewToken(), Purpose = string.IsNullOrWhiteSpace(purpose) ? null : purpose.Trim(), CreatedAt = now,
            };
            db.Appointments.Add(appointment);
            if (email.Length > 0)
            {
                var when = $"{day:yyyy-MM-dd} {slot.LocalTime:HH\\:mm}";
                var link = $"{baseUrl}/appointments/{appointment.Token}";
                db.QueueMail(clock, email, t["booking.mail.subject"], t.Format("booking.mail.body", when, service.Names.In(t.Language), link));
                var remindAt = calendar.ToUtc(day.AddDays(-1), new TimeOnly(9, 0));
                if (remindAt > now)
                {
                    var reminder = db.QueueMail(clock, email, t["booking.reminder.subject"], t.Format("booking.reminder.body", when, service.Names.In(t.Language), link));
                    reminder.NextAttemptAt = remindAt;
                    appointment.ReminderId = reminder.Id;
                }
            }
            try
            {
                await db.SaveChangesAsync(ct);
                return (appointment, BookingError.None);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
            }
        }
        return (null, BookingError.Full);
    }

    public async Task<bool> CancelAsync(Appointment appointment, CancellationToken ct)
    {
        if (appointment.Status != AppointmentStatus.Booked || appointment.Start <= clock.GetUtcNow().UtcDateTime) return false;
        appointment.Status = AppointmentStatus.Cancelled;
        // A cancelled visit gets no reminder: the reminder waiting in the outbox is withdrawn in the same transaction.
        if (appointment.ReminderId is { } reminderId)
        {
            db.OutboxMessages.RemoveRange(db.OutboxMessages.Where(m => m.Id == reminderId && m.Status == Platform.Outbox.OutboxStatus.Pending));
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Arrival: from an hour before to half an hour after the start, the appointment becomes a priority ticket.</summary>
    public async Task<Ticket?> CheckInAsync(Appointment appointment, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (appointment.TicketId is { } existing)
        {
            return await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == existing, ct);
        }
        if (appointment.Status != AppointmentStatus.Booked || now < appointment.Start.AddHours(-1) || now > appointment.Start.AddMinutes(30))
        {
            return null;
        }
        var service = await db.CounterServices.AsNoTracking().SingleAsync(s => s.Id == appointment.ServiceId, ct);
        var ticket = await queue.IssueAsync(service, TicketChannel.Appointment, false, appointment.Id, $"appointment:{appointment.Id}", ct);
        appointment.Status = AppointmentStatus.CheckedIn;
        appointment.TicketId = ticket.Id;
        await db.SaveChangesAsync(ct);
        return ticket;
    }
}
