namespace Madoguchi.Web.Features.Home;

/// <summary>Localised error pages. They say what happened and what to do, never how the server failed.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(Ui t) : PageModel
{
    public string Title { get; private set; } = "";
    public string Text { get; private set; } = "";

    public void OnGet(int code) => Show(code);

    public void OnPost(int code) => Show(code);

    private void Show(int code)
    {
        var known = code is 400 or 403 or 404 or 429 or 503 ? code : 500;
        var failed = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>() is not null;
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null && !failed)
        {
            Response.StatusCode = known;
        }
        // A database that could not be reached (DatabaseOutage) is not a crowd turned away: nothing was stored.
        var key = failed && Response.StatusCode == StatusCodes.Status503ServiceUnavailable ? "unavailable" : known.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (key == "unavailable")
        {
            Response.Headers.RetryAfter = Platform.Data.DatabaseOutage.RetryAfterSeconds;
        }
        Title = t[$"error.{key}.title"];
        Text = t[$"error.{key}.text"];
    }
}
