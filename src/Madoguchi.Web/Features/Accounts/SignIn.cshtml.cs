using Madoguchi.Web.Platform.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.RateLimiting;

namespace Madoguchi.Web.Features.Accounts;

[EnableRateLimiting(SecuritySetup.SignInLimit)]
public sealed class SignInModel(LocalAccounts accounts, IAuthenticationSchemeProvider schemes, Ui t) : PageModel
{
    public sealed class InputModel
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Failed { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Reset { get; set; }

    public bool CardAvailable { get; private set; }

    public async Task OnGetAsync() => CardAvailable = await schemes.GetSchemeAsync(ResidentSignIn.OidcScheme) is not null;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        CardAvailable = await schemes.GetSchemeAsync(ResidentSignIn.OidcScheme) is not null;
        if (string.IsNullOrWhiteSpace(Input.Email))
        {
            ModelState.AddModelError("Input.Email", t["validation.email.required"]);
        }
        if (string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError("Input.Password", t["validation.password.required"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var (result, resident) = await accounts.SignInAsync(Input.Email!, Input.Password!, ct);
        switch (result)
        {
            case LocalAccounts.SignInResult.Ok:
                await HttpContext.SignInAsync(Schemes.Resident, ResidentSignIn.PrincipalFor(resident!.Id, Assurance.Low));
                return LocalRedirect(Home.HomeEndpoints.IsLocal(ReturnUrl) ? ReturnUrl! : "/account/profile");
            case LocalAccounts.SignInResult.NotVerified:
                ModelState.AddModelError("Input.Email", t["signin.notverified"]);
                return Page();
            default:
                ModelState.AddModelError("Input.Password", t["signin.invalid"]);
                return Page();
        }
    }
}
