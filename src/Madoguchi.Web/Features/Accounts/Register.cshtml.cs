using System.Net.Mail;
using Madoguchi.Web.Platform.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace Madoguchi.Web.Features.Accounts;

[EnableRateLimiting(SecuritySetup.SignInLimit)]
public sealed class RegisterModel(LocalAccounts accounts, Ui t) : PageModel
{
    public sealed class InputModel
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Input.Email))
        {
            ModelState.AddModelError("Input.Email", t["validation.email.required"]);
        }
        else if (!IsEmail(Input.Email))
        {
            ModelState.AddModelError("Input.Email", t["validation.email.format"]);
        }
        if (string.IsNullOrEmpty(Input.Password) || Input.Password.Length < LocalAccounts.MinPasswordLength)
        {
            ModelState.AddModelError("Input.Password", t.Format("validation.password.length", LocalAccounts.MinPasswordLength));
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await accounts.RegisterAsync(Input.Email!, Input.Password!, $"{Request.Scheme}://{Request.Host}{Request.PathBase}", ct);
        Sent = true;
        return Page();
    }

    internal static bool IsEmail(string value) =>
        value.Length <= 254 && MailAddress.TryCreate(value.Trim(), out var address) && address.Address == value.Trim() && address.Host.Contains('.', StringComparison.Ordinal);
}
