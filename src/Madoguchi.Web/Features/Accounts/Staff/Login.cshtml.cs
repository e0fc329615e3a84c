using Madoguchi.Web.Platform.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace Madoguchi.Web.Features.Accounts.Staff;

/// <summary>Staff sign-in, step one: login id and password. The second factor is always asked next.</summary>
[EnableRateLimiting(SecuritySetup.SignInLimit)]
public sealed class LoginModel(AppDb db, TimeProvider clock, Ui t) : PageModel
{
    public const int MaxFailures = 5;
    private static readonly PasswordHasher<StaffMember> Hasher = new();

    public sealed class InputModel
    {
        public string? LoginId { get; set; }
        public string? Password { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>Set when sign-in through the city's provider came back refused.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Failed { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Input.LoginId) || string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError("Input.LoginId", t["staff.login.required"]);
            return Page();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var staff = await db.StaffMembers.SingleOrDefaultAsync(s => s.LoginId == Input.LoginId.Trim(), ct);
        if (staff is { LockedUntil: { } until } && until > now)
        {
            ModelState.AddModelError("Input.LoginId", t["staff.login.locked"]);
            return Page();
        }
        if (staff is not { Active: true } || Hasher.VerifyHashedPassword(staff, staff.PasswordHash, Input.Password) == PasswordVerificationResult.Failed)
        {
            if (staff is not null)
            {
                staff.FailedSignIns++;
                if (staff.FailedSignIns >= MaxFailures)
                {
                    staff.LockedUntil = now.AddMinutes(15);
                    staff.FailedSignIns = 0;
                }
            }
            db.Audit(clock, staff is null ? "anonymous" : $"staff:{staff.Id}", "staff.signin-failed", staff is null ? null : $"staff:{staff.Id}");
            await db.SaveChangesAsync(ct);
            ModelState.AddModelError("Input.LoginId", t["staff.login.invalid"]);
            return Page();
        }
        await HttpContext.SignInAsync(Schemes.StaffPending, AccountsSetup.StaffPrincipal(staff, Schemes.StaffPending));
        return Redirect("/staff/login/code");
    }
}
