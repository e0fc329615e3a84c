using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Accounts;

/// <summary>How sure we are that the person is who they say: card sign-in is High, a local account is Low.</summary>
public enum Assurance { Low, High }

/// <summary>The resident profile: the base of "never write the same thing twice". A My Number is never stored.</summary>
public sealed class Resident
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>"oidc" (the city's card provider), "demo" (the built-in demo provider) or "local".</summary>
    public required string IdentityProvider { get; init; }
    /// <summary>The provider's subject (pairwise id), or the normalised email for local accounts.</summary>
    public required string Subject { get; init; }

    public string? Email { get; set; }
    public bool EmailVerified { get; set; }
    public string? PasswordHash { get; set; }

    public string Name { get; set; } = "";
    public string NameKana { get; set; } = "";
    public DateOnly? BirthDate { get; set; }
    /// <summary>"female", "male" or null.</summary>
    public string? Sex { get; set; }
    public string PostalCode { get; set; } = "";
    public string Prefecture { get; set; } = "";
    public string City { get; set; } = "";
    public string Ward { get; set; } = "";
    public string Town { get; set; } = "";
    public string Block { get; set; } = "";
    public string Building { get; set; } = "";
    public string? Phone { get; set; }
    /// <summary>Holds a residence card (在留カード); names may be in Latin letters.</summary>
    public bool ResidenceCardHolder { get; set; }

    /// <summary>Fields that came from a card sign-in and that the resident cannot edit.</summary>
    public List<string> VerifiedFields { get; set; } = [];

    public Assurance LastAssurance { get; set; }
    public required DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastSignInAt { get; set; }
    /// <summary>The interface language the resident last signed in or applied in: mail to them is written in it.</summary>
    public string? Language { get; set; }

    public List<HouseholdMember> Household { get; init; } = [];

    public bool IsVerified(string field) => VerifiedFields.Contains(field);

    public string AddressLine => string.Concat(Prefecture, City, Ward, Town, Block, Building.Length > 0 ? " " + Building : "");
}

public static class ProfileFields
{
    public const string Name = "name";
    public const string BirthDate = "birthdate";
    public const string Sex = "sex";
    public const string Address = "address";
}

public sealed class HouseholdMember
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ResidentId { get; init; }
    public string Name { get; set; } = "";
    public string NameKana { get; set; } = "";
    /// <summary>spouse, child, parent, sibling, other.</summary>
    public string Relationship { get; set; } = "other";
    public DateOnly? BirthDate { get; set; }
}

internal sealed class ResidentConfiguration : IEntityTypeConfiguration<Resident>
{
    public void Configure(EntityTypeBuilder<Resident> resident)
    {
        resident.ToTable("residents");
        resident.HasIndex(r => new { r.IdentityProvider, r.Subject }).IsUnique();
        resident.HasIndex(r => r.Email);
        resident.Property(r => r.IdentityProvider).HasMaxLength(20);
        resident.Property(r => r.Subject).HasMaxLength(200);
        resident.Property(r => r.Email).HasMaxLength(254);
        resident.Property(r => r.PasswordHash).HasMaxLength(200);
        resident.Property(r => r.Name).HasMaxLength(100);
        resident.Property(r => r.NameKana).HasMaxLength(100);
        resident.Property(r => r.Sex).HasMaxLength(10);
        resident.Property(r => r.PostalCode).HasMaxLength(8);
        resident.Property(r => r.Prefecture).HasMaxLength(10);
        resident.Property(r => r.City).HasMaxLength(50);
        resident.Property(r => r.Ward).HasMaxLength(50);
        resident.Property(r => r.Town).HasMaxLength(100);
        resident.Property(r => r.Block).HasMaxLength(50);
        resident.Property(r => r.Building).HasMaxLength(100);
        resident.Property(r => r.Phone).HasMaxLength(20);
        resident.Property(r => r.Language).HasMaxLength(8);
        resident.Property(r => r.LastAssurance).HasConversion<string>().HasMaxLength(10);
        resident.Ignore(r => r.AddressLine);
        resident.HasMany(r => r.Household).WithOne().HasForeignKey(m => m.ResidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HouseholdMemberConfiguration : IEntityTypeConfiguration<HouseholdMember>
{
    public void Configure(EntityTypeBuilder<HouseholdMember> member)
    {
        member.ToTable("household_members");
        member.Property(m => m.Name).HasMaxLength(100);
        member.Property(m => m.NameKana).HasMaxLength(100);
        member.Property(m => m.Relationship).HasMaxLength(20);
    }
}
