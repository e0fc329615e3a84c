using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;

namespace Madoguchi.Web.Platform.Security;

public static class SecuritySetup
{
    public const string SignInLimit = "signin";

    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        var perMinute = builder.Configuration.GetValue("RateLimits:SignInPerMinute", 20);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // One budget per client address across every sign-in surface; only attempts (not page views) count.
            o.AddPolicy(SignInLimit, context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("read")
                : RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "madoguchi.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookiePolicy(builder.Configuration, builder.Environment);
            o.FormFieldName = "__af";
        });
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, SecurityLog.ResultHandler>();
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Behind the city's reverse proxy (deploy/): trust it for scheme and client address.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
        });
        return builder;
    }

    /// <summary>Cookies are Secure outside Development unless Security:RequireHttps is false (tests, plain-HTTP labs).</summary>
    public static CookieSecurePolicy CookiePolicy(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue("Security:RequireHttps", !environment.IsDevelopment())
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;

    public static WebApplication UseSecurity(this WebApplication app)
    {
        if (app.Configuration.GetValue("Security:TrustForwardedHeaders", false))
        {
            app.UseForwardedHeaders();
        }
        if (!app.Environment.IsDevelopment() && app.Configuration.GetValue("Security:RequireHttps", true))
        {
            app.UseHsts();
        }
        var formTargets = string.Join(' ', app.Configuration.GetSection("Security:FormActionOrigins").Get<string[]>() ?? []);
        var csp = $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
                  $"object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self' {formTargets}".TrimEnd();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = csp;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            await next();
        });
        return app;
    }
}
