namespace Madoguchi.Web.Features.Accounts;

public sealed class VerifyModel(LocalAccounts accounts) : PageModel
{
    public bool Verified { get; private set; }

    public async Task OnGetAsync(string? token, CancellationToken ct) =>
        Verified = !string.IsNullOrEmpty(token) && await accounts.VerifyAsync(token, ct);
}
