using Microsoft.AspNetCore.Authentication;

namespace Madoguchi.Web.Features.Accounts;

public sealed class SignOutModel(AppDb db, TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        var actor = AuditLog.ActorOf(User);
        if (actor != "anonymous")
        {
            db.Audit(clock, actor, "resident.signout", actor);
            await db.SaveChangesAsync(HttpContext.RequestAborted);
        }
        await HttpContext.SignOutAsync(Schemes.Resident);
        return Redirect("/");
    }
}
