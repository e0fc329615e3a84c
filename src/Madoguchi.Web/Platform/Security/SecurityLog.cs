using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Madoguchi.Web.Platform.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Madoguchi.Web.Platform.Security;

/// <summary>
/// The security log (category <c>Madoguchi.Security</c>), for the city's monitoring: every sign-in, failed sign-in,
/// second-factor failure and sign-out, and every request refused for want of credentials (challenged) or permission
/// (forbidden, or refused by the endpoint), with the actor, the client's address and the trace id. The console stamps
/// each line in UTC. A line names the route's template, never the request's path, query, form fields or headers,
/// which can carry tokens and personal data; so no text of the caller's reaches it, and no line can be forged with
/// a line break.
/// </summary>
public static partial class SecurityLog
{
    public const string Category = "Madoguchi.Security";

    /// <summary>The audited account events that are also security log lines, and whether each is a failure.</summary>
    private static readonly Dictionary<string, bool> AccountEvents = new()
    {
        ["resident.signin"] = false,
        ["resident.signin-failed"] = true,
        ["resident.password-reset"] = false,
        ["staff.signin"] = false,
        ["staff.signin-failed"] = true,
        ["staff.second-factor-failed"] = true,
        ["staff.signout"] = false,
    };

    [LoggerMessage(EventId = 4001, Message = "Security {Event}: {Method} {Route} answered {Status}; actor {Actor}, address {Address}, trace {TraceId}")]
    private static partial void Refused(ILogger logger, LogLevel level, string @event, string method, string route, int status, string actor, string address, string traceId);

    [LoggerMessage(EventId = 4002, Message = "Security {Event}: actor {Actor}, address {Address}, trace {TraceId}")]
    private static partial void Account(ILogger logger, LogLevel level, string @event, string actor, string address, string traceId);

    /// <summary>Called for every audit entry added: the account events among them are logged at once.</summary>
    internal static void Audited(AppDb db, string actor, string action)
    {
        if (!AccountEvents.TryGetValue(action, out var failure))
        {
            return;
        }
        var http = db.GetService<IHttpContextAccessor>().HttpContext;
        Account(db.GetService<ILoggerFactory>().CreateLogger(Category), failure ? LogLevel.Warning : LogLevel.Information,
            action, actor, AddressOf(http), TraceOf(http));
    }

    private static string AddressOf(HttpContext? http) => http?.Connection.RemoteIpAddress?.ToString() ?? "-";

    private static string TraceOf(HttpContext? http) => Activity.Current?.TraceId.ToString() ?? http?.TraceIdentifier ?? "-";

    /// <summary>Logs what the authorization middleware refuses, and a 403 the endpoint itself answers.</summary>
    internal sealed class ResultHandler(ILoggerFactory loggers) : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler inner = new();
        private readonly ILogger log = loggers.CreateLogger(Category);

        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            await inner.HandleAsync(next, context, policy, authorizeResult);
            var refusal = authorizeResult.Challenged ? "challenged"
                : authorizeResult.Forbidden ? "forbidden"
                : context.Response.StatusCode == StatusCodes.Status403Forbidden ? "refused" : null;
            if (refusal is not null)
            {
                var route = context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } raw } ? raw : "(no route)";
                Refused(log, LogLevel.Warning, refusal, context.Request.Method, route, context.Response.StatusCode,
                    AuditLog.ActorOf(context.User), AddressOf(context), TraceOf(context));
            }
        }
    }
}
