using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Payments.LocalProvider;

/// <summary>
/// The built-in stand-in for a card payment provider, speaking a GOV.UK Pay–style protocol: create with an
/// idempotency key, a hosted card page, statuses created → started → success/failed, signed webhooks delivered at
/// least once and in no guaranteed order, refunds and a ledger. Its tables are its own; Madoguchi reaches it only over HTTP.
/// It exists in demo mode only.
/// </summary>
public sealed class LocalProviderPayment
{
    public required string Id { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string RequestHash { get; init; }
    public required int Amount { get; init; }
    public required string Reference { get; init; }
    public required string Description { get; init; }
    public required string ReturnUrl { get; init; }
    public required string WebhookUrl { get; init; }
    /// <summary>created, started, success, failed (with a code), or expired (failed, P0020).</summary>
    public string Status { get; set; } = "created";
    public string? FailureCode { get; set; }
    public string? CardLast4 { get; set; }
    public int Refunded { get; set; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime ExpiresAt { get; init; }
    public DateTime? SettledAt { get; set; }
}

/// <summary>A webhook message: stored when something happens, delivered (and retried) by the provider's dispatcher.</summary>
public sealed class LocalProviderEvent
{
    public required string Id { get; init; }
    public required string PaymentId { get; init; }
    public required string Type { get; init; }
    public required string Body { get; init; }
    public required string WebhookUrl { get; init; }
    public required DateTime CreatedAt { get; init; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    /// <summary>For the ledger: the signed amount this event moved (a refund is negative), 0 for others.</summary>
    public int Amount { get; init; }
}

internal sealed class LocalProviderPaymentConfiguration : IEntityTypeConfiguration<LocalProviderPayment>
{
    public void Configure(EntityTypeBuilder<LocalProviderPayment> p)
    {
        p.ToTable("localpay_payments");
        p.Property(x => x.Id).HasMaxLength(40);
        p.HasIndex(x => x.IdempotencyKey).IsUnique();
        p.Property(x => x.IdempotencyKey).HasMaxLength(100);
        p.Property(x => x.RequestHash).HasMaxLength(64);
        p.Property(x => x.Reference).HasMaxLength(40);
        p.Property(x => x.Description).HasMaxLength(200);
        p.Property(x => x.ReturnUrl).HasMaxLength(500);
        p.Property(x => x.WebhookUrl).HasMaxLength(500);
        p.Property(x => x.Status).HasMaxLength(20);
        p.Property(x => x.FailureCode).HasMaxLength(10);
        p.Property(x => x.CardLast4).HasMaxLength(4);
        p.HasIndex(x => new { x.Status, x.ExpiresAt });
    }
}

internal sealed class LocalProviderEventConfiguration : IEntityTypeConfiguration<LocalProviderEvent>
{
    public void Configure(EntityTypeBuilder<LocalProviderEvent> e)
    {
        e.ToTable("localpay_events");
        e.Property(x => x.Id).HasMaxLength(40);
        e.Property(x => x.PaymentId).HasMaxLength(40);
        e.Property(x => x.Type).HasMaxLength(40);
        e.Property(x => x.WebhookUrl).HasMaxLength(500);
        e.HasIndex(x => new { x.DeliveredAt, x.NextAttemptAt });
        e.HasIndex(x => x.PaymentId);
    }
}
