using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Madoguchi.Web.Features.Accounts.Staff;

public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/staff/login");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(Schemes.Staff);
        return Redirect("/staff/login");
    }
}
