namespace Madoguchi.Web.Features.Home;

public static class HomeEndpoints
{
    public static IEndpointRouteBuilder MapHome(this WebApplication app)
    {
        // Language switch: a plain link, so it works without JavaScript.
        app.MapGet("/lang/{code}", (string code, string? returnUrl, HttpContext context) =>
        {
            if (!Languages.IsKnown(code))
            {
                return Results.NotFound();
            }
            context.Response.Cookies.Append(Languages.Cookie, code, new CookieOptions
            {
                MaxAge = TimeSpan.FromDays(365),
                SameSite = SameSiteMode.Lax,
                HttpOnly = true,
                IsEssential = true,
                Secure = context.Request.IsHttps,
            });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        });
        return app;
    }

    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
