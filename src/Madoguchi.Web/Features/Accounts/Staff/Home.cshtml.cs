using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Accounts.Staff;

[Authorize(Policy = Policies.Staff)]
public sealed class HomeModel : PageModel
{
    public void OnGet()
    {
    }
}
