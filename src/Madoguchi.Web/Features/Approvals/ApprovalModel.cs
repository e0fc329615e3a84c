using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Approvals;

public static class DecisionOutcome
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public static readonly IReadOnlyList<string> All = [Approve, Reject];
}

public static class DecisionStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    /// <summary>An approver refused the proposal; the case is back in review.</summary>
    public const string Refused = "refused";
    public const string SentBack = "sent-back";
}

public static class StepStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string SentBack = "sent-back";
    /// <summary>Not needed: an earlier step decided under delegated authority (専決).</summary>
    public const string Skipped = "skipped";
}

/// <summary>
/// A proposed decision on a case (起案): the outcome, the amount and the reasons as the notice will say them. Its content
/// hash covers the case's answers too, so what each approver approved can be proven and any later change is seen.
/// </summary>
public sealed class Decision
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid ApplicationId { get; init; }
    public required string Outcome { get; set; }
    public int? AmountYen { get; set; }
    public required string Text { get; set; }
    public required string Route { get; init; }
    public required Guid ProposedBy { get; init; }
    public required DateTime ProposedAt { get; init; }
    public string Status { get; set; } = DecisionStatus.Pending;
    /// <summary>SHA-256 of the decision document as it stands now.</summary>
    public required string DocumentHash { get; set; }
    public DateTime? DecidedAt { get; set; }
    /// <summary>The number on the decision notice (決定通知書), e.g. みどり市指令第2026-000012号; given on the final approval.</summary>
    public string? NoticeNumber { get; set; }
    public int Revision { get; set; }

    public List<ApprovalStep> Steps { get; init; } = [];

    /// <summary>The document approvers see: the case as filed and the proposal, in a canonical form.</summary>
    public static string HashOf(Application application, string outcome, int? amountYen, string text)
    {
        var document = new JsonObject
        {
            ["application"] = application.Id.ToString(),
            ["reference"] = application.Reference,
            ["form"] = $"{application.FormSlug}@{application.FormVersion}",
            ["answers"] = JsonNode.Parse(application.Data),
            ["outcome"] = outcome,
            ["amountYen"] = amountYen,
            ["text"] = text,
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())));
    }
}

/// <summary>One approver's step on a route. Steps with the same order run in parallel (合議); the next order waits for them all.</summary>
public sealed class ApprovalStep
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid DecisionId { get; init; }
    public required int Order { get; init; }
    /// <summary>係長, 課長, 合議: 市民課長 …</summary>
    public required string Label { get; init; }
    public required string Role { get; init; }
    public required string Department { get; init; }
    public string? SubstituteRole { get; init; }
    public string? DelegatedWhen { get; init; }
    public int? DelegatedUpToYen { get; init; }
    public string Status { get; set; } = StepStatus.Pending;
    public Guid? DecidedBy { get; set; }
    public string? DecidedByName { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? Comment { get; set; }
    /// <summary>代決: decided by a substitute because the designated approver was absent.</summary>
    public bool Substitute { get; set; }
    /// <summary>専決: this step ended the route under delegated authority.</summary>
    public bool Delegated { get; set; }
    /// <summary>The hash of the document as the approver saw it when deciding.</summary>
    public string? DocumentHash { get; set; }
}

/// <summary>Notice numbers run per year without gaps visible to residents.</summary>
public sealed class NoticeSequence
{
    public required int Year { get; init; }
    public int Last { get; set; }
}

public sealed class ApprovalOptions
{
    /// <summary>The first route whose procedures include the case's procedure code wins; a route with none applies to all.</summary>
    public List<RouteTemplate> Routes { get; set; } = [];
    /// <summary>The notice number's wording: {0} the year, {1} the number.</summary>
    public string NoticeNumberFormat { get; set; } = "指令第{0}-{1:000000}号";
    /// <summary>Who signs the notices, e.g. みどり市長 山田 太郎.</summary>
    public string Signatory { get; set; } = "市長";

    public RouteTemplate RouteFor(string procedureCode) =>
        Routes.FirstOrDefault(r => r.Procedures.Contains(procedureCode)) ?? Routes.FirstOrDefault(r => r.Procedures.Count == 0) ?? RouteTemplate.Standard;
}

public sealed class RouteTemplate
{
    public string Name { get; set; } = "standard";
    public List<string> Procedures { get; set; } = [];
    public List<StepTemplate> Steps { get; set; } = [];

    /// <summary>係長, then 課長 (a 係長-level substitute may decide for an absent 課長).</summary>
    public static readonly RouteTemplate Standard = new()
    {
        Steps =
        [
            new StepTemplate { Order = 1, Label = "係長", Role = StaffRoles.Chief },
            new StepTemplate { Order = 2, Label = "課長", Role = StaffRoles.Manager, SubstituteRole = StaffRoles.Chief },
        ],
    };
}

public sealed class StepTemplate
{
    public int Order { get; set; } = 1;
    public string Label { get; set; } = "";
    public string Role { get; set; } = StaffRoles.Manager;
    /// <summary>Null: the case's department. Otherwise a department consulted (合議).</summary>
    public string? Department { get; set; }
    /// <summary>A role that may decide in this step's place when its approver is absent (代決).</summary>
    public string? SubstituteRole { get; set; }
    /// <summary>専決: when this condition on outcome/procedure/channel holds (the guide's syntax) ...</summary>
    public string? DelegatedWhen { get; set; }
    /// <summary>... and the amount is at most this, approving this step ends the route.</summary>
    public int? DelegatedUpToYen { get; set; }
}

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> decision)
    {
        decision.ToTable("decisions");
        decision.HasIndex(d => new { d.ApplicationId, d.ProposedAt });
        decision.HasIndex(d => d.NoticeNumber).IsUnique();
        decision.Property(d => d.Outcome).HasMaxLength(10);
        decision.Property(d => d.Text).HasMaxLength(4000);
        decision.Property(d => d.Route).HasMaxLength(60);
        decision.Property(d => d.Status).HasMaxLength(12);
        decision.Property(d => d.DocumentHash).HasMaxLength(64);
        decision.Property(d => d.NoticeNumber).HasMaxLength(60);
        decision.Property(d => d.Revision).IsConcurrencyToken();
        decision.HasMany(d => d.Steps).WithOne().HasForeignKey(s => s.DecisionId).OnDelete(DeleteBehavior.Cascade);
        decision.HasOne<Application>().WithMany().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApprovalStepConfiguration : IEntityTypeConfiguration<ApprovalStep>
{
    public void Configure(EntityTypeBuilder<ApprovalStep> step)
    {
        step.ToTable("approval_steps");
        step.HasIndex(s => new { s.Status, s.Department, s.Role });
        step.Property(s => s.Label).HasMaxLength(60);
        step.Property(s => s.Role).HasMaxLength(20);
        step.Property(s => s.Department).HasMaxLength(40);
        step.Property(s => s.SubstituteRole).HasMaxLength(20);
        step.Property(s => s.DelegatedWhen).HasMaxLength(200);
        step.Property(s => s.Status).HasMaxLength(12);
        step.Property(s => s.DecidedByName).HasMaxLength(120);
        step.Property(s => s.Comment).HasMaxLength(2000);
        step.Property(s => s.DocumentHash).HasMaxLength(64);
    }
}

internal sealed class NoticeSequenceConfiguration : IEntityTypeConfiguration<NoticeSequence>
{
    public void Configure(EntityTypeBuilder<NoticeSequence> sequence)
    {
        sequence.ToTable("notice_sequences");
        sequence.HasKey(s => s.Year);
        sequence.Property(s => s.Year).ValueGeneratedNever();
    }
}

internal static class NoticeNumbers
{
    public static string Format(ApprovalOptions options, int year, int number) =>
        string.Format(CultureInfo.InvariantCulture, options.NoticeNumberFormat, year, number);
}
