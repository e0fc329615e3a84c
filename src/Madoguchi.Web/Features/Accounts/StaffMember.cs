using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Accounts;

public static class StaffRoles
{
    public const string Clerk = "Clerk";
    public const string Caseworker = "Caseworker";
    public const string Approver = "Approver";
    /// <summary>係長: decides the first steps of approval routes.</summary>
    public const string Chief = "Chief";
    /// <summary>課長: decides the last step, or consults (合議) for another department.</summary>
    public const string Manager = "Manager";
    public const string Administrator = "Administrator";
    public const string Auditor = "Auditor";

    public static readonly IReadOnlyList<string> All = [Clerk, Caseworker, Approver, Chief, Manager, Administrator, Auditor];
}

/// <summary>A staff account: password plus a mandatory TOTP second factor, roles, and the departments it may see.</summary>
public sealed class StaffMember
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string LoginId { get; init; }
    public required string Name { get; set; }
    public string PasswordHash { get; set; } = "";
    /// <summary>The TOTP secret, encrypted with the data-protection key ring.</summary>
    public string ProtectedTotpSecret { get; set; } = "";
    public List<string> Roles { get; set; } = [];
    public List<string> Departments { get; set; } = [];
    public bool Active { get; set; } = true;
    public int FailedSignIns { get; set; }
    public DateTime? LockedUntil { get; set; }
    /// <summary>The last TOTP time step accepted, so a code cannot be replayed.</summary>
    public long LastTotpStep { get; set; }
}

internal sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> staff)
    {
        staff.ToTable("staff_members");
        staff.HasIndex(s => s.LoginId).IsUnique();
        staff.Property(s => s.LoginId).HasMaxLength(50);
        staff.Property(s => s.Name).HasMaxLength(100);
        staff.Property(s => s.PasswordHash).HasMaxLength(200);
        staff.Property(s => s.ProtectedTotpSecret).HasMaxLength(500);
    }
}
