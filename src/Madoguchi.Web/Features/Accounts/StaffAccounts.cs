using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace Madoguchi.Web.Features.Accounts;

/// <summary>Creates staff accounts: a password hash and a fresh TOTP secret, encrypted at rest.</summary>
public static class StaffAccounts
{
    private static readonly PasswordHasher<StaffMember> Hasher = new();

    public sealed record Created(StaffMember Staff, string TotpSecret, string OtpAuthUri);

    /// <summary>Returns the new account, or the reason it could not be made.</summary>
    public static async Task<(Created? Account, string? Error)> CreateAsync(
        AppDb db, TotpSecrets secrets, TimeProvider clock, string actor, string loginId, string name,
        IReadOnlyList<string> roles, IReadOnlyList<string> departments, string password, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(loginId) || loginId.Length > 50 || !loginId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            return (null, "The login id must be 1–50 letters, digits, '-', '_' or '.'.");
        if (string.IsNullOrWhiteSpace(name)) return (null, "A name is required.");
        if (roles.Count == 0 || roles.Any(r => !StaffRoles.All.Contains(r)))
            return (null, $"Roles must be one or more of: {string.Join(", ", StaffRoles.All)}.");
        if (departments.Count == 0) return (null, "At least one department is required.");
        if (await db.StaffMembers.AnyAsync(s => s.LoginId == loginId, ct)) return (null, $"A staff account '{loginId}' already exists.");

        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        var staff = new StaffMember { LoginId = loginId, Name = name.Trim(), Roles = [.. roles], Departments = [.. departments] };
        staff.PasswordHash = Hasher.HashPassword(staff, password);
        staff.ProtectedTotpSecret = secrets.Protect(secret);
        db.StaffMembers.Add(staff);
        db.Audit(clock, actor, "staff.created", $"staff:{staff.Id}", new { roles, departments });
        await db.SaveChangesAsync(ct);
        var uri = $"otpauth://totp/Madoguchi:{Uri.EscapeDataString(loginId)}?secret={secret}&issuer=Madoguchi&digits=6&period=30";
        return (new Created(staff, secret, uri), null);
    }

    /// <summary>A random initial password, printed once for the operator to hand over.</summary>
    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');
}

/// <summary>Encrypts TOTP secrets at rest with the data-protection key ring (kept in the database, shared by all nodes).</summary>
public sealed class TotpSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("Madoguchi.Staff.Totp");

    public string Protect(string base32) => protector.Protect(base32);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);

    public static Totp For(string base32) => new(Base32Encoding.ToBytes(base32));
}
