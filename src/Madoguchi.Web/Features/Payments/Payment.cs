using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Payments;

public static class PaymentStatus
{
    /// <summary>Stored, not yet accepted by the provider (the call failed or is in flight); retried with the same idempotency key.</summary>
    public const string Created = "created";
    /// <summary>The provider has it; the resident is on (or left) the hosted payment page.</summary>
    public const string Started = "started";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Expired = "expired";

    public static bool Final(string status) => status is Succeeded or Failed or Expired;
}

public static class PaymentQueries
{
    /// <summary>The latest intent for an application: its own, or its bundle's (one payment for the bundle).</summary>
    public static Task<Payment?> LatestForAsync(this IQueryable<Payment> payments, Applications.Application application, CancellationToken ct) =>
        payments.Where(p => p.ApplicationId == application.Id || (application.BundleId != null && p.BundleId == application.BundleId))
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
}

/// <summary>
/// A payment intent: what is owed for an application (or a bundle of them) and where the provider has it.
/// Only the provider's signed webhook, or our own server-to-server status query, ever marks it paid.
/// </summary>
public sealed class Payment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid? ApplicationId { get; init; }
    public Guid? BundleId { get; init; }
    public Guid? ResidentId { get; init; }
    public required int AmountYen { get; init; }
    public required string Description { get; init; }
    public required string Reference { get; init; }
    public string Status { get; set; } = PaymentStatus.Created;
    public required string Provider { get; init; }
    public string? ProviderPaymentId { get; set; }
    public string? NextUrl { get; set; }
    public string? FailureCode { get; set; }
    public int RefundedYen { get; set; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime ExpiresAt { get; init; }
    public DateTime? SettledAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>When we next ask the provider ourselves, in case its webhooks are slow or never come.</summary>
    public DateTime NextCheckAt { get; set; }
    public int Revision { get; set; }

    /// <summary>Derived from the intent, so however often creation is retried the provider makes one payment.</summary>
    public string IdempotencyKey => $"{Id:N}-create";
}

/// <summary>A receipt (領収書) for a fee paid online, as the resident prints it; dates in the Japanese era.</summary>
public sealed record ReceiptView(string City, string Issuer, string Reference, string IssuedOn, string PaidOn, string ResidentName, string Description, int AmountYen, int RefundedYen);

public sealed class PaymentRefund
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid PaymentId { get; init; }
    public required int AmountYen { get; init; }
    public string Status { get; set; } = "submitted";
    public string? ProviderRefundId { get; set; }
    public required string Actor { get; init; }
    public required DateTime CreatedAt { get; init; }
}

/// <summary>A provider event already applied: webhooks arrive at least once, so each is applied once.</summary>
public sealed class WebhookReceipt
{
    public required string EventId { get; init; }
    public required string Type { get; init; }
    public required DateTime ReceivedAt { get; init; }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.ToTable("payments");
        payment.HasIndex(p => p.ApplicationId);
        payment.HasIndex(p => p.BundleId);
        payment.HasIndex(p => p.ProviderPaymentId).IsUnique();
        payment.HasIndex(p => new { p.Status, p.ExpiresAt });
        payment.HasIndex(p => new { p.Status, p.NextCheckAt });
        payment.Property(p => p.Description).HasMaxLength(200);
        payment.Property(p => p.Reference).HasMaxLength(40);
        payment.Property(p => p.Status).HasMaxLength(20);
        payment.Property(p => p.Provider).HasMaxLength(20);
        payment.Property(p => p.ProviderPaymentId).HasMaxLength(100);
        payment.Property(p => p.NextUrl).HasMaxLength(500);
        payment.Property(p => p.FailureCode).HasMaxLength(40);
        payment.Property(p => p.Revision).IsConcurrencyToken();
        payment.Ignore(p => p.IdempotencyKey);
        payment.HasOne<Accounts.Resident>().WithMany().HasForeignKey(p => p.ResidentId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class PaymentRefundConfiguration : IEntityTypeConfiguration<PaymentRefund>
{
    public void Configure(EntityTypeBuilder<PaymentRefund> refund)
    {
        refund.ToTable("payment_refunds");
        refund.HasIndex(r => r.PaymentId);
        refund.Property(r => r.Status).HasMaxLength(20);
        refund.Property(r => r.ProviderRefundId).HasMaxLength(100);
        refund.Property(r => r.Actor).HasMaxLength(120);
    }
}

internal sealed class WebhookReceiptConfiguration : IEntityTypeConfiguration<WebhookReceipt>
{
    public void Configure(EntityTypeBuilder<WebhookReceipt> receipt)
    {
        receipt.ToTable("webhook_receipts");
        receipt.HasKey(r => r.EventId);
        receipt.Property(r => r.EventId).HasMaxLength(100);
        receipt.Property(r => r.Type).HasMaxLength(40);
    }
}
