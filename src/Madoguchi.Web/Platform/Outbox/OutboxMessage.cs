using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Platform.Outbox;

public enum OutboxStatus { Pending, Done, Dead }

/// <summary>A side effect (mail, webhook, notice) written in the same transaction as the change that causes it.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Type { get; init; }
    public required string Payload { get; init; }
    public required DateTime CreatedAt { get; init; }
    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LockedUntil { get; set; }
    public string? LockedBy { get; set; }
    public string? LastError { get; set; }
    public DateTime? ProcessedAt { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> message)
    {
        message.ToTable("outbox_messages");
        message.Property(m => m.Type).HasMaxLength(100);
        message.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        message.Property(m => m.LockedBy).HasMaxLength(100);
        message.Property(m => m.LastError).HasMaxLength(2000);
        message.HasIndex(m => new { m.Status, m.NextAttemptAt });
    }
}
