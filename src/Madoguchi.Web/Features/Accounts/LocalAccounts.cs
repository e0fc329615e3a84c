using System.Security.Cryptography;
using System.Text.Json;
using Madoguchi.Web.Platform.Mail;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Madoguchi.Web.Features.Accounts;

/// <summary>Low-assurance accounts for residents without a My Number card: email (verified by a link) and password.</summary>
public sealed class LocalAccounts(AppDb db, TimeProvider clock, IDataProtectionProvider protection, Ui t)
{
    public const string Provider = "local";
    public const int MinPasswordLength = 10;
    private static readonly PasswordHasher<Resident> Hasher = new();
    private readonly ITimeLimitedDataProtector links = protection.CreateProtector("Madoguchi.LocalAccounts.Verify").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector resets = protection.CreateProtector("Madoguchi.LocalAccounts.Reset").ToTimeLimitedDataProtector();

    public enum RegisterResult { MailSent }

    public enum SignInResult { Ok, Invalid, NotVerified }

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>
    /// Always answers "mail sent", so the form does not reveal who has an account; someone who already has one
    /// gets a mail saying so instead of a second account.
    /// </summary>
    public async Task<RegisterResult> RegisterAsync(string email, string password, string baseUrl, CancellationToken ct)
    {
        var subject = Normalize(email);
        var now = clock.GetUtcNow().UtcDateTime;
        var existing = await db.Residents.SingleOrDefaultAsync(r => r.IdentityProvider == Provider && r.Subject == subject, ct);
        if (existing is { EmailVerified: true })
        {
            db.QueueMail(clock, subject, t["mail.exists.subject"], t.Format("mail.exists.body", $"{baseUrl}/account/signin"));
            await db.SaveChangesAsync(ct);
            return RegisterResult.MailSent;
        }
        var resident = existing ?? new Resident { IdentityProvider = Provider, Subject = subject, CreatedAt = now, Email = subject, LastAssurance = Assurance.Low };
        resident.PasswordHash = Hasher.HashPassword(resident, password);
        resident.UpdatedAt = now;
        if (existing is null)
        {
            db.Residents.Add(resident);
            db.Audit(clock, $"resident:{resident.Id}", "resident.registered", $"resident:{resident.Id}", new { provider = Provider });
        }
        var token = links.Protect(JsonSerializer.Serialize(new[] { resident.Id.ToString(), subject }), TimeSpan.FromHours(24));
        db.QueueMail(clock, subject, t["mail.verify.subject"], t.Format("mail.verify.body", $"{baseUrl}/account/verify?token={Uri.EscapeDataString(token)}"));
        await db.SaveChangesAsync(ct);
        return RegisterResult.MailSent;
    }

    public async Task<bool> VerifyAsync(string token, CancellationToken ct)
    {
        if (ReadLink(links, token) is not (var residentId, var subject)) return false;
        var resident = await db.Residents.SingleOrDefaultAsync(r => r.Id == residentId && r.Subject == subject && r.IdentityProvider == Provider, ct);
        if (resident is null) return false;
        if (!resident.EmailVerified)
        {
            resident.EmailVerified = true;
            resident.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            db.Audit(clock, $"resident:{resident.Id}", "resident.email-verified", $"resident:{resident.Id}");
            await db.SaveChangesAsync(ct);
        }
        return true;
    }

    /// <summary>Mails a reset link when the account exists; answers the same either way.</summary>
    public async Task RequestResetAsync(string email, string baseUrl, CancellationToken ct)
    {
        var subject = Normalize(email);
        var resident = await db.Residents.SingleOrDefaultAsync(r => r.IdentityProvider == Provider && r.Subject == subject && r.EmailVerified, ct);
        if (resident?.PasswordHash is null) return;
        var token = resets.Protect(JsonSerializer.Serialize(new[] { resident.Id.ToString(), Stamp(resident.PasswordHash) }), TimeSpan.FromHours(1));
        db.QueueMail(clock, subject, t["mail.reset.subject"], t.Format("mail.reset.body", $"{baseUrl}/account/reset?token={Uri.EscapeDataString(token)}"));
        db.Audit(clock, $"resident:{resident.Id}", "resident.password-reset-requested", $"resident:{resident.Id}");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Sets a new password when the link is valid, unexpired and unused (the link is bound to the old password).</summary>
    public async Task<bool> ResetAsync(string token, string newPassword, CancellationToken ct)
    {
        var resident = await ResidentForResetAsync(token, ct);
        if (resident is null) return false;
        resident.PasswordHash = Hasher.HashPassword(resident, newPassword);
        resident.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        db.Audit(clock, $"resident:{resident.Id}", "resident.password-reset", $"resident:{resident.Id}");
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> IsResetLinkValidAsync(string token, CancellationToken ct) => await ResidentForResetAsync(token, ct) is not null;

    private async Task<Resident?> ResidentForResetAsync(string token, CancellationToken ct)
    {
        if (ReadLink(resets, token) is not (var residentId, var stamp)) return null;
        var resident = await db.Residents.SingleOrDefaultAsync(r => r.Id == residentId && r.IdentityProvider == Provider, ct);
        return resident?.PasswordHash is { } hash && Stamp(hash) == stamp ? resident : null;
    }

    /// <summary>A mailed link carries (resident id, a check value), protected and time-limited; null when forged, damaged or expired.</summary>
    private (Guid ResidentId, string Check)? ReadLink(ITimeLimitedDataProtector protector, string token)
    {
        try
        {
            var parts = JsonSerializer.Deserialize<string[]>(protector.Unprotect(token, out var expires));
            return expires >= clock.GetUtcNow() && parts is [var id, var check] && Guid.TryParse(id, out var residentId) ? (residentId, check) : null;
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static string Stamp(string passwordHash) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(passwordHash)))[..16];

    public async Task<(SignInResult Result, Resident? Resident)> SignInAsync(string email, string password, CancellationToken ct)
    {
        var subject = Normalize(email);
        var resident = await db.Residents.SingleOrDefaultAsync(r => r.IdentityProvider == Provider && r.Subject == subject, ct);
        if (resident?.PasswordHash is null || Hasher.VerifyHashedPassword(resident, resident.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            db.Audit(clock, "anonymous", "resident.signin-failed", null, new { provider = Provider });
            await db.SaveChangesAsync(ct);
            return (SignInResult.Invalid, null);
        }
        if (!resident.EmailVerified)
        {
            return (SignInResult.NotVerified, null);
        }
        resident.LastSignInAt = clock.GetUtcNow().UtcDateTime;
        resident.LastAssurance = Assurance.Low;
        resident.Language = t.Language;
        db.Audit(clock, $"resident:{resident.Id}", "resident.signin", $"resident:{resident.Id}", new { provider = Provider, assurance = nameof(Assurance.Low) });
        await db.SaveChangesAsync(ct);
        return (SignInResult.Ok, resident);
    }
}
