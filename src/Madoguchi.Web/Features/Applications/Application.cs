using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Applications;

/// <summary>
/// The life of an application, shared by the resident side and the back office. Residents move it only from draft to
/// submitted (through payment when there is a fee), from returned to corrected, and to withdrawn before review starts.
/// </summary>
public static class ApplicationStatus
{
    public const string Draft = "draft";
    /// <summary>Stored and waiting for the payment provider's signed confirmation; becomes received without the resident.</summary>
    public const string PaymentPending = "payment-pending";
    public const string Received = "received";
    public const string InReview = "in-review";
    public const string Returned = "returned";
    public const string Corrected = "corrected";
    public const string DecisionProposed = "decision-proposed";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Completed = "completed";
    public const string Withdrawn = "withdrawn";
    public const string Expired = "expired";

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Next = new Dictionary<string, IReadOnlyList<string>>
    {
        [Draft] = [PaymentPending, Received, Expired],
        [PaymentPending] = [Received, Draft],
        [Received] = [InReview, Returned, Withdrawn],
        [InReview] = [Returned, DecisionProposed],
        [Returned] = [Corrected, Withdrawn],
        [Corrected] = [InReview, Returned, DecisionProposed],
        [DecisionProposed] = [Approved, Rejected, InReview],
        [Approved] = [Completed],
        [Rejected] = [Completed],
        [Completed] = [],
        [Withdrawn] = [],
        [Expired] = [],
    };

    public static bool CanMove(string from, string to) => Next.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>What the resident may still change: a draft, or an application sent back for correction.</summary>
    public static bool Editable(string status) => status is Draft or Returned;
}

public static class ApplicationChannel
{
    public const string Online = "online";
    public const string Counter = "counter";
    public const string Paper = "paper";
}

public sealed class Application
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>What the resident quotes on the phone: 10 characters without look-alikes, e.g. "K7QMX-3PAD9".</summary>
    public required string Reference { get; init; }
    public Guid? ResidentId { get; init; }
    public required string FormSlug { get; init; }
    public required int FormVersion { get; set; }
    /// <summary>The catalogue item (one per ward for ward procedures) and its legal procedure code.</summary>
    public required string ProcedureSlug { get; init; }
    public required string ProcedureCode { get; init; }
    public required string Department { get; init; }
    public string? Office { get; init; }
    public string Channel { get; init; } = ApplicationChannel.Online;
    public string Status { get; set; } = ApplicationStatus.Draft;
    /// <summary>The answers as JSON (see <see cref="Forms.FormAnswers"/>).</summary>
    public string Data { get; set; } = "{}";
    /// <summary>Fields filled from the profile, and those of them that came from the card and cannot be changed.</summary>
    public List<string> Prefilled { get; set; } = [];
    public List<string> Locked { get; set; } = [];
    public Guid? BundleId { get; set; }
    /// <summary>The client's idempotency key (API) or the start form's request key (web), with a hash of what was sent.</summary>
    public string? RequestKey { get; init; }
    public string? RequestHash { get; init; }
    public int FeeYen { get; set; }
    public string? ReturnNote { get; set; }
    public required DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? SubmittedAt { get; set; }
    public DateTime? DraftExpiresAt { get; set; }
    public bool ExpiryNoticeSent { get; set; }
    /// <summary>When the back office should have decided: the procedure's standard processing period in open days from arrival.</summary>
    public DateOnly? DueOn { get; set; }
    /// <summary>The staff member working the case, once claimed or assigned.</summary>
    public Guid? AssignedTo { get; set; }
    /// <summary>Optimistic concurrency: two tabs, a double click or a webhook racing the resident cannot both move the application.</summary>
    public int Revision { get; set; }

    public List<ApplicationEvent> Events { get; init; } = [];

    public JsonObject Answers() => JsonNode.Parse(Data) as JsonObject ?? [];

    public void SetAnswers(JsonObject answers) => Data = answers.ToJsonString();

    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public static string NewReference()
    {
        Span<char> chars = stackalloc char[11];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = i == 5 ? '-' : Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return new string(chars);
    }
}

/// <summary>One step of an application's timeline, as the resident and the back office see it.</summary>
public sealed class ApplicationEvent
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ApplicationId { get; init; }
    public required DateTime At { get; init; }
    public required string Status { get; init; }
    /// <summary>"resident", "provider", "system" or "staff:{id}"; never a name.</summary>
    public required string Actor { get; init; }
    public string? Note { get; init; }
}

/// <summary>A bank account the resident chose to keep for the next application (振込先).</summary>
public sealed class SavedBankAccount
{
    public required Guid ResidentId { get; init; }
    public required string Data { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<Application>
{
    public void Configure(EntityTypeBuilder<Application> application)
    {
        application.ToTable("applications");
        application.HasIndex(a => a.Reference).IsUnique();
        application.HasIndex(a => new { a.ResidentId, a.RequestKey }).IsUnique();
        application.HasIndex(a => new { a.ResidentId, a.Status });
        application.HasIndex(a => new { a.Status, a.DraftExpiresAt });
        application.HasIndex(a => a.BundleId);
        // The inbox walks a department's (or the center's procedures') cases in due order; the filter columns are in the
        // index so filtering and counting never touch the rows.
        application.HasIndex(a => new { a.Department, a.DueOn, a.SubmittedAt, a.Status, a.Office, a.Channel, a.ProcedureCode });
        application.HasIndex(a => new { a.ProcedureCode, a.DueOn, a.SubmittedAt, a.Status, a.Office, a.Channel });
        // An approver's "awaiting my approval" list spans departments (合議): it walks the proposed cases in due order and
        // stops once the page is full, instead of checking the route of every proposed case and sorting them all.
        application.HasIndex(a => new { a.Status, a.DueOn, a.SubmittedAt });
        application.Property(a => a.Reference).HasMaxLength(11);
        application.Property(a => a.FormSlug).HasMaxLength(100);
        application.Property(a => a.ProcedureSlug).HasMaxLength(100);
        application.Property(a => a.ProcedureCode).HasMaxLength(100);
        application.Property(a => a.Department).HasMaxLength(40);
        application.Property(a => a.Office).HasMaxLength(40);
        application.Property(a => a.Channel).HasMaxLength(10);
        application.Property(a => a.Status).HasMaxLength(20);
        application.Property(a => a.RequestKey).HasMaxLength(100);
        application.Property(a => a.RequestHash).HasMaxLength(64);
        application.Property(a => a.ReturnNote).HasMaxLength(2000);
        application.Property(a => a.Revision).IsConcurrencyToken();
        application.Property(a => a.Prefilled).HasConversion(JsonList.Converter, JsonList.Comparer);
        application.Property(a => a.Locked).HasConversion(JsonList.Converter, JsonList.Comparer);
        application.HasMany(a => a.Events).WithOne().HasForeignKey(e => e.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        application.HasOne<Accounts.Resident>().WithMany().HasForeignKey(a => a.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApplicationEventConfiguration : IEntityTypeConfiguration<ApplicationEvent>
{
    public void Configure(EntityTypeBuilder<ApplicationEvent> e)
    {
        e.ToTable("application_events");
        e.HasIndex(x => new { x.ApplicationId, x.At });
        e.Property(x => x.Status).HasMaxLength(20);
        e.Property(x => x.Actor).HasMaxLength(60);
        e.Property(x => x.Note).HasMaxLength(2000);
    }
}

internal sealed class SavedBankAccountConfiguration : IEntityTypeConfiguration<SavedBankAccount>
{
    public void Configure(EntityTypeBuilder<SavedBankAccount> account)
    {
        account.ToTable("saved_bank_accounts");
        account.HasKey(a => a.ResidentId);
        account.HasOne<Accounts.Resident>().WithMany().HasForeignKey(a => a.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal static class JsonList
{
    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<List<string>, string> Converter = new(
        v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
        s => JsonSerializer.Deserialize<List<string>>(s, (JsonSerializerOptions?)null) ?? new List<string>());

    public static readonly Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<string>> Comparer = new(
        (a, b) => a!.SequenceEqual(b!), a => a.Aggregate(0, (h, s) => HashCode.Combine(h, s.GetHashCode(StringComparison.Ordinal))), a => a.ToList());
}
