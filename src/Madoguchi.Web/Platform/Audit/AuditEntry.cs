using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Platform.Audit;

/// <summary>One link of the append-only, hash-chained audit log. Holds ids, never personal data.</summary>
public sealed class AuditEntry
{
    public long Sequence { get; set; }
    public required DateTime At { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public string? Subject { get; init; }
    public string? Detail { get; init; }
    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("audit_entries");
        entry.HasKey(e => e.Sequence);
        entry.Property(e => e.Sequence).ValueGeneratedNever();
        entry.Property(e => e.Actor).HasMaxLength(100);
        entry.Property(e => e.Action).HasMaxLength(100);
        entry.Property(e => e.Subject).HasMaxLength(200);
        entry.Property(e => e.Detail).HasMaxLength(4000);
        entry.Property(e => e.PreviousHash).HasMaxLength(64);
        entry.Property(e => e.Hash).HasMaxLength(64);
        entry.HasIndex(e => e.Subject);
    }
}
