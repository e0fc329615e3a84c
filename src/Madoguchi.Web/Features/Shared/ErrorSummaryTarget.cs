namespace Madoguchi.Web.Features.Shared;

/// <summary>Inputs take their id from their model key ("Input.Email" → "input-email"), so the error summary can link to them.</summary>
public static class ErrorSummaryTarget
{
    public static string IdFor(string key) => key.Replace('.', '-').ToLowerInvariant();
}
