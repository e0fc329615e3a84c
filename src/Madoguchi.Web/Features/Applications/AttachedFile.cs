using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Applications;

/// <summary>
/// A file attached to an application. Only PDF, JPEG and PNG are accepted, recognised by their first bytes rather
/// than by name or declared type, and they are only ever sent back as downloads.
/// </summary>
public sealed class AttachedFile
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid ApplicationId { get; init; }
    public required string FieldKey { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public required long Size { get; init; }
    public required string Sha256 { get; init; }
    public required byte[] Content { get; init; }
    public required DateTime CreatedAt { get; init; }

    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>The real type of the bytes, or null when it is none of the accepted ones.</summary>
    public static (string ContentType, string Extension)? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith("%PDF-"u8) ? ("application/pdf", ".pdf")
        : head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }) ? ("image/jpeg", ".jpg")
        : head.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }) ? ("image/png", ".png")
        : null;

    /// <summary>A file name safe to show and to send in Content-Disposition: no path, no control characters, a known extension.</summary>
    public static string SafeName(string? name, string extension)
    {
        var baseName = Path.GetFileNameWithoutExtension(Path.GetFileName((name ?? "").Replace('\\', '/')));
        var clean = new string(baseName.Where(c => !char.IsControl(c) && c is not ('"' or '/' or ':' or '*' or '?' or '<' or '>' or '|')).Take(80).ToArray()).Trim();
        return (clean.Length == 0 ? "file" : clean) + extension;
    }
}

internal sealed class AttachedFileConfiguration : IEntityTypeConfiguration<AttachedFile>
{
    public void Configure(EntityTypeBuilder<AttachedFile> attachment)
    {
        attachment.ToTable("attachments");
        attachment.HasIndex(a => a.ApplicationId);
        attachment.Property(a => a.FieldKey).HasMaxLength(100);
        attachment.Property(a => a.FileName).HasMaxLength(100);
        attachment.Property(a => a.ContentType).HasMaxLength(40);
        attachment.Property(a => a.Sha256).HasMaxLength(64);
        attachment.HasOne<Application>().WithMany().HasForeignKey(a => a.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
