using Madoguchi.Web.Platform.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace Madoguchi.Web.Features.Accounts;

[EnableRateLimiting(SecuritySetup.SignInLimit)]
public sealed class ResetModel(LocalAccounts accounts, Ui t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public bool LinkValid { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        LinkValid = !string.IsNullOrEmpty(Token) && await accounts.IsResetLinkValidAsync(Token, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        LinkValid = !string.IsNullOrEmpty(Token) && await accounts.IsResetLinkValidAsync(Token, ct);
        if (!LinkValid) return Page();
        if (string.IsNullOrEmpty(Password) || Password.Length < LocalAccounts.MinPasswordLength)
        {
            ModelState.AddModelError(nameof(Password), t.Format("validation.password.length", LocalAccounts.MinPasswordLength));
            return Page();
        }
        LinkValid = await accounts.ResetAsync(Token!, Password, ct);
        return LinkValid ? Redirect("/account/signin?reset=true") : Page();
    }
}
