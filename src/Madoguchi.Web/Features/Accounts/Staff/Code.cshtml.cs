using Madoguchi.Web.Platform;
using Madoguchi.Web.Platform.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using OtpNet;

namespace Madoguchi.Web.Features.Accounts.Staff;

/// <summary>Staff sign-in, step two: the TOTP code. A used time step cannot be replayed.</summary>
[Authorize(AuthenticationSchemes = Schemes.StaffPending)]
[EnableRateLimiting(SecuritySetup.SignInLimit)]
public sealed class CodeModel(AppDb db, TimeProvider clock, TotpSecrets secrets, DemoMode demo, Ui t) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>Demo mode shows the current code so anyone can try the staff area.</summary>
    public string? DemoCode { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var staff = await LoadAsync(ct);
        if (staff is null) return Redirect("/staff/login");
        ShowDemoCode(staff);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var staff = await LoadAsync(ct);
        if (staff is null) return Redirect("/staff/login");
        var totp = TotpSecrets.For(secrets.Unprotect(staff.ProtectedTotpSecret));
        var code = new string((Code ?? "").Where(char.IsAsciiDigit).ToArray());
        var now = clock.GetUtcNow().UtcDateTime;
        if (code.Length != 6 || !totp.VerifyTotp(now, code, out var step, new VerificationWindow(previous: 1, future: 1)) || step <= staff.LastTotpStep)
        {
            db.Audit(clock, $"staff:{staff.Id}", "staff.second-factor-failed", $"staff:{staff.Id}");
            await db.SaveChangesAsync(ct);
            ModelState.AddModelError(nameof(Code), t["staff.code.invalid"]);
            ShowDemoCode(staff);
            return Page();
        }
        staff.LastTotpStep = step;
        staff.FailedSignIns = 0;
        db.Audit(clock, $"staff:{staff.Id}", "staff.signin", $"staff:{staff.Id}", new { method = "password+totp" });
        await db.SaveChangesAsync(ct);
        await HttpContext.SignOutAsync(Schemes.StaffPending);
        await HttpContext.SignInAsync(Schemes.Staff, AccountsSetup.StaffPrincipal(staff, Schemes.Staff));
        return Redirect("/staff");
    }

    private void ShowDemoCode(StaffMember staff)
    {
        if (demo.Enabled)
        {
            DemoCode = TotpSecrets.For(secrets.Unprotect(staff.ProtectedTotpSecret)).ComputeTotp(clock.GetUtcNow().UtcDateTime);
        }
    }

    private Task<StaffMember?> LoadAsync(CancellationToken ct)
    {
        var id = User.StaffId();
        return db.StaffMembers.SingleOrDefaultAsync(s => s.Id == id && s.Active, ct);
    }
}
