using Madoguchi.Web.Platform.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace Madoguchi.Web.Features.Accounts;

[EnableRateLimiting(SecuritySetup.SignInLimit)]
public sealed class ForgotModel(LocalAccounts accounts, Ui t) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Email) || !RegisterModel.IsEmail(Email))
        {
            ModelState.AddModelError(nameof(Email), t["validation.email.format"]);
            return Page();
        }
        await accounts.RequestResetAsync(Email, $"{Request.Scheme}://{Request.Host}{Request.PathBase}", ct);
        Sent = true;
        return Page();
    }
}
