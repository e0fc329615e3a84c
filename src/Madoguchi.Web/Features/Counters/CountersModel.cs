using Madoguchi.Web.Features.Catalog;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Counters;

/// <summary>A queue at an office: what residents choose on the kiosk (転入・転出, 証明書 …), with its ticket prefix and slot settings.</summary>
public sealed class CounterService
{
    public required string Id { get; init; }
    public required string OfficeId { get; init; }
    public required string Name { get; set; }
    public string NameEn { get; set; } = "";
    public string NameEasy { get; set; } = "";
    /// <summary>The reading shown as furigana on the kiosk.</summary>
    public string Reading { get; set; } = "";
    /// <summary>One letter per service and office: tickets are A-001, B-001 …</summary>
    public required string Prefix { get; set; }
    /// <summary>Used for wait estimates until the day has served enough people to measure.</summary>
    public int AverageMinutes { get; set; } = 10;
    public int SlotMinutes { get; set; } = 30;
    /// <summary>Appointments per slot in all; <see cref="OnlineCapacity"/> of them can be booked online, the rest are kept for staff.</summary>
    public int SlotCapacity { get; set; } = 2;
    public int OnlineCapacity { get; set; } = 1;
    public int Order { get; set; }

    public Text Names => new(Name, NameEn, NameEasy);
}

/// <summary>A counter (窓口) at an office and the services it handles today; staff change them during the day.</summary>
public sealed class Counter
{
    public required string Id { get; init; }
    public required string OfficeId { get; init; }
    public required string Name { get; set; }
    public string NameEn { get; set; } = "";
    public List<string> Services { get; set; } = [];
    public bool Open { get; set; } = true;
    public int Order { get; set; }
}

public enum TicketStatus { Waiting, Called, Serving, Done, NoShow, Cancelled }

public static class TicketChannel
{
    public const string Kiosk = "kiosk";
    public const string Remote = "remote";
    public const string Appointment = "appointment";
    public const string Api = "api";
}

/// <summary>A queue ticket. Its number is unique per office, day and prefix; its token is the resident's private link.</summary>
public sealed class Ticket
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OfficeId { get; init; }
    public required string ServiceId { get; set; }
    public required DateOnly Day { get; init; }
    public required string Prefix { get; init; }
    public required int Number { get; set; }
    public TicketStatus Status { get; set; } = TicketStatus.Waiting;
    /// <summary>0 walk-in, 1 accessibility needs, 2 appointment.</summary>
    public int Priority { get; set; }
    public required string Channel { get; init; }
    public bool Accessibility { get; init; }
    public required string Token { get; init; }
    public string? CounterId { get; set; }
    public int Calls { get; set; }
    public required DateTime CreatedAt { get; init; }
    public DateTime? CalledAt { get; set; }
    public DateTime? ServingAt { get; set; }
    public DateTime? DoneAt { get; set; }
    /// <summary>Where to send "your turn is near"; kept only until the ticket is done.</summary>
    public string? NotifyEmail { get; set; }
    /// <summary>The ticket page as the resident opened it, for the link in the notice.</summary>
    public string? NotifyUrl { get; set; }
    /// <summary>The kiosk's or client's request key: a double click or a retry returns the same ticket.</summary>
    public string? RequestKey { get; init; }
    public bool NearNoticeSent { get; set; }
    public Guid? AppointmentId { get; init; }

    public string Display => $"{Prefix}-{Number:D3}";
}

/// <summary>The last number given out per office, day and prefix; incremented atomically inside the issuing transaction.</summary>
public sealed class TicketSequence
{
    public required string OfficeId { get; init; }
    public required DateOnly Day { get; init; }
    public required string Prefix { get; init; }
    public int Last { get; set; }
}

/// <summary>A counter of changes per office: every change to its queue increments it, so boards can show events in order.</summary>
public sealed class OfficeQueue
{
    public required string OfficeId { get; init; }
    public long Version { get; set; }
}

public enum AppointmentStatus { Booked, Cancelled, CheckedIn, NoShow }

/// <summary>A booked counter visit. <see cref="Seat"/> makes double booking of the last place impossible (unique per slot while booked).</summary>
public sealed class Appointment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OfficeId { get; init; }
    public required string ServiceId { get; init; }
    public required DateTime Start { get; init; }
    public required int Seat { get; init; }
    public AppointmentStatus Status { get; set; } = AppointmentStatus.Booked;
    public Guid? ResidentId { get; init; }
    public required string Email { get; init; }
    public required string Token { get; init; }
    /// <summary>What the visit is for (a guide plan, applications), so the clerk can prepare.</summary>
    public string? Purpose { get; init; }
    public required DateTime CreatedAt { get; init; }
    public Guid? TicketId { get; set; }
    /// <summary>The outbox message of the day-before reminder, withdrawn if the booking is cancelled.</summary>
    public Guid? ReminderId { get; set; }
}

internal sealed class CountersConfiguration :
    IEntityTypeConfiguration<CounterService>, IEntityTypeConfiguration<Counter>, IEntityTypeConfiguration<Ticket>,
    IEntityTypeConfiguration<TicketSequence>, IEntityTypeConfiguration<OfficeQueue>, IEntityTypeConfiguration<Appointment>
{
    public void Configure(EntityTypeBuilder<CounterService> service)
    {
        service.ToTable("counter_services");
        service.Property(s => s.Id).HasMaxLength(40);
        service.Property(s => s.OfficeId).HasMaxLength(40);
        service.Property(s => s.Name).HasMaxLength(100);
        service.Property(s => s.NameEn).HasMaxLength(100);
        service.Property(s => s.NameEasy).HasMaxLength(100);
        service.Property(s => s.Reading).HasMaxLength(100);
        service.Property(s => s.Prefix).HasMaxLength(2);
        service.HasIndex(s => new { s.OfficeId, s.Prefix }).IsUnique();
        service.Ignore(s => s.Names);
    }

    public void Configure(EntityTypeBuilder<Counter> counter)
    {
        counter.ToTable("counters");
        counter.Property(c => c.Id).HasMaxLength(40);
        counter.Property(c => c.OfficeId).HasMaxLength(40);
        counter.Property(c => c.Name).HasMaxLength(100);
        counter.Property(c => c.NameEn).HasMaxLength(100);
        counter.HasIndex(c => c.OfficeId);
    }

    public void Configure(EntityTypeBuilder<Ticket> ticket)
    {
        ticket.ToTable("tickets");
        ticket.Property(t => t.OfficeId).HasMaxLength(40);
        ticket.Property(t => t.ServiceId).HasMaxLength(40);
        ticket.Property(t => t.Prefix).HasMaxLength(2);
        ticket.Property(t => t.Status).HasConversion<string>().HasMaxLength(12);
        ticket.Property(t => t.Channel).HasMaxLength(12);
        ticket.Property(t => t.Token).HasMaxLength(64);
        ticket.Property(t => t.CounterId).HasMaxLength(40);
        ticket.Property(t => t.NotifyEmail).HasMaxLength(254);
        ticket.Property(t => t.NotifyUrl).HasMaxLength(300);
        ticket.Property(t => t.RequestKey).HasMaxLength(100);
        ticket.HasIndex(t => new { t.OfficeId, t.RequestKey }).IsUnique();
        ticket.HasIndex(t => new { t.OfficeId, t.Day, t.Prefix, t.Number }).IsUnique();
        ticket.HasIndex(t => t.Token).IsUnique();
        ticket.HasIndex(t => new { t.OfficeId, t.Day, t.Status });
        ticket.Ignore(t => t.Display);
    }

    public void Configure(EntityTypeBuilder<TicketSequence> sequence)
    {
        sequence.ToTable("ticket_sequences");
        sequence.HasKey(s => new { s.OfficeId, s.Day, s.Prefix });
        sequence.Property(s => s.OfficeId).HasMaxLength(40);
        sequence.Property(s => s.Prefix).HasMaxLength(2);
    }

    public void Configure(EntityTypeBuilder<OfficeQueue> queue)
    {
        queue.ToTable("office_queues");
        queue.HasKey(q => q.OfficeId);
        queue.Property(q => q.OfficeId).HasMaxLength(40);
    }

    public void Configure(EntityTypeBuilder<Appointment> appointment)
    {
        appointment.ToTable("appointments");
        appointment.Property(a => a.OfficeId).HasMaxLength(40);
        appointment.Property(a => a.ServiceId).HasMaxLength(40);
        appointment.Property(a => a.Status).HasConversion<string>().HasMaxLength(12);
        appointment.Property(a => a.Email).HasMaxLength(254);
        appointment.Property(a => a.Token).HasMaxLength(64);
        appointment.Property(a => a.Purpose).HasMaxLength(500);
        appointment.HasIndex(a => a.Token).IsUnique();
        appointment.HasIndex(a => new { a.ServiceId, a.Start, a.Seat }).IsUnique().HasFilter("\"Status\" = 'Booked'");
        appointment.HasIndex(a => a.Email);
        // A resident who deletes their account takes their bookings with them.
        appointment.HasOne<Accounts.Resident>().WithMany().HasForeignKey(a => a.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}
