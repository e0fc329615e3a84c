using Microsoft.AspNetCore.Authentication;

namespace Madoguchi.Web.Features.Accounts.Staff;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Policies.Staff)]
public sealed class SignOutModel(AppDb db, TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => Redirect("/staff/login");

    public async Task<IActionResult> OnPostAsync()
    {
        var actor = AuditLog.ActorOf(User);
        if (actor != "anonymous")
        {
            db.Audit(clock, actor, "staff.signout", actor);
            await db.SaveChangesAsync(HttpContext.RequestAborted);
        }
        await HttpContext.SignOutAsync(Schemes.Staff);
        return Redirect("/staff/login");
    }
}
