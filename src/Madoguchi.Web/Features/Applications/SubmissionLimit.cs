using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Madoguchi.Web.Features.Applications;

/// <summary>
/// Sheds a rush instead of queueing it. Past <c>RateLimits:SubmissionsInFlight</c> submissions at once on this node, a
/// submission is answered at once with 503 and Retry-After, before any work: the ones let in keep their usual speed,
/// and nothing is half-done. The resident's draft is already saved, and an API client retries with the same
/// Idempotency-Key, so a refused submission is neither lost nor doubled. Reading pages is never limited.
/// </summary>
internal sealed class SubmissionLimit(IConfiguration configuration) : IRateLimiterPolicy<string>
{
    public const string Name = "submissions";
    public const int RetryAfterSeconds = 2;

    private readonly int inFlight = configuration.GetValue("RateLimits:SubmissionsInFlight", 16 * Environment.ProcessorCount);

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        HttpMethods.IsPost(httpContext.Request.Method)
            ? RateLimitPartition.GetConcurrencyLimiter(Name, _ => new ConcurrencyLimiterOptions { PermitLimit = inFlight, QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter("read");

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, ct) =>
    {
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        if (UiSetup.IsApi(http.Request.Path))
        {
            var t = http.RequestServices.GetRequiredService<Ui>();
            await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: t["api.error.busy"]).ExecuteAsync(http);
        }
        // Pages: the empty 503 becomes the localised error page, which says the draft is kept.
    };
}
