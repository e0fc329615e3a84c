using System.Security.Claims;
using Madoguchi.Web.Platform;
using Madoguchi.Web.Platform.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Madoguchi.Web.Features.Accounts;

public static class Policies
{
    public const string Resident = "Resident";
    public const string ResidentApi = "ResidentApi";
    public const string Staff = "Staff";
    public const string StaffApi = "StaffApi";
    public const string Administrator = "Administrator";
    public const string AuditReader = "AuditReader";
}

public static class Schemes
{
    public const string Resident = ResidentSignIn.ResidentScheme;
    public const string Staff = "Staff";
    /// <summary>Password checked, second factor not yet: only the code page accepts it.</summary>
    public const string StaffPending = "StaffPending";
    public const string Bearer = "Bearer";
}

public static class AccountsSetup
{
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var demo = configuration.GetValue<bool?>("Demo:Enabled") ?? builder.Environment.IsDevelopment();
        var cookiePolicy = SecuritySetup.CookiePolicy(configuration, builder.Environment);
        var provider = configuration.GetSection("Identity:Oidc").Get<OidcProviderOptions>() ?? new OidcProviderOptions();

        services.AddSingleton<OidcClientKey>();
        services.AddSingleton<TotpSecrets>();
        services.AddSingleton<DemoIdp>();
        services.AddScoped<LocalAccounts>();

        var auth = services.AddAuthentication(Schemes.Resident)
            .AddCookie(Schemes.Resident, o =>
            {
                o.Cookie.Name = "madoguchi.resident";
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = cookiePolicy;
                o.LoginPath = "/account/signin";
                o.AccessDeniedPath = "/account/signin";
                o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                o.SlidingExpiration = true;
            })
            .AddCookie(Schemes.Staff, o =>
            {
                o.Cookie.Name = "madoguchi.staff";
                o.Cookie.Path = "/staff";
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = cookiePolicy;
                o.LoginPath = "/staff/login";
                o.AccessDeniedPath = "/staff/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(9);
                o.SlidingExpiration = false;
            })
            .AddCookie(Schemes.StaffPending, o =>
            {
                o.Cookie.Name = "madoguchi.staff2fa";
                o.Cookie.Path = "/staff/login";
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = cookiePolicy;
                o.LoginPath = "/staff/login";
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddBearerToken(Schemes.Bearer, o => o.BearerTokenExpiration = TimeSpan.FromHours(1));

        if (demo || !string.IsNullOrEmpty(provider.Authority))
        {
            var requireHttps = cookiePolicy == CookieSecurePolicy.Always;
            auth.AddOpenIdConnect(ResidentSignIn.OidcScheme, o => ResidentSignIn.Configure(o, provider, demo, requireHttps));
            if (demo)
            {
                // The demo provider is this app: its back-channel calls go to our own listener.
                services.AddOptions<OpenIdConnectOptions>(ResidentSignIn.OidcScheme)
                    .Configure<IServer>((o, server) => o.BackchannelHttpHandler = new LoopbackHandler(server, configuration.GetValue<int?>("Staff:ListenPort")));
            }
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Resident, p => p.AddAuthenticationSchemes(Schemes.Resident).RequireClaim("kind", "resident"))
            .AddPolicy(Policies.ResidentApi, p => p.AddAuthenticationSchemes(Schemes.Bearer).RequireClaim("kind", "resident"))
            .AddPolicy(Policies.Staff, p => p.AddAuthenticationSchemes(Schemes.Staff).RequireClaim("kind", "staff"))
            .AddPolicy(Policies.StaffApi, p => p.AddAuthenticationSchemes(Schemes.Bearer).RequireClaim("kind", "staff"))
            .AddPolicy(Policies.Administrator, p => p.AddAuthenticationSchemes(Schemes.Staff).RequireClaim("kind", "staff").RequireRole(StaffRoles.Administrator))
            .AddPolicy(Policies.AuditReader, p => p.AddAuthenticationSchemes(Schemes.Staff).RequireClaim("kind", "staff").RequireRole(StaffRoles.Auditor, StaffRoles.Administrator));
        return builder;
    }

    public static WebApplication UseAccounts(this WebApplication app)
    {
        if (app.Configuration.GetValue<int?>("Staff:ListenPort") is { } staffPort)
        {
            // Network separation (三層分離): the staff area answers only on its own listener, and only the staff area does.
            app.Use(async (context, next) =>
            {
                var path = context.Request.Path;
                var shared = path.StartsWithSegments("/css") || path.StartsWithSegments("/lib") || path.StartsWithSegments("/lang")
                             || path.StartsWithSegments("/error") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
                var staffPath = path.StartsWithSegments("/staff") || path.StartsWithSegments("/api/v1/staff");
                if (!shared && staffPath != (context.Connection.LocalPort == staffPort))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                await next();
            });
        }
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        var demo = app.Services.GetRequiredService<DemoMode>().Enabled;
        app.MapGet("/oidc/jwks.json", (OidcClientKey key) => Results.Json(key.Jwks())).ExcludeFromDescription();
        app.MapGet("/account/signin/card", async (string? returnUrl, IAuthenticationSchemeProvider schemes) =>
            await schemes.GetSchemeAsync(ResidentSignIn.OidcScheme) is null
                ? Results.NotFound()
                : Results.Challenge(new AuthenticationProperties { RedirectUri = Home.HomeEndpoints.IsLocal(returnUrl) ? returnUrl : "/account/profile" },
                    [ResidentSignIn.OidcScheme]));
        AccountsApi.Map(app, demo);
        if (demo)
        {
            DemoIdp.Map(app);
        }
        return app;
    }

    public static Guid? ResidentId(this ClaimsPrincipal user) =>
        user.FindFirstValue("kind") == "resident" && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static Guid? StaffId(this ClaimsPrincipal user) =>
        user.FindFirstValue("kind") == "staff" && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static ClaimsPrincipal StaffPrincipal(StaffMember staff, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, staff.Id.ToString()),
            new Claim("kind", "staff"),
            new Claim(ClaimTypes.Name, staff.Name),
            .. staff.Roles.Select(r => new Claim(ClaimTypes.Role, r)),
            .. staff.Departments.Select(d => new Claim("department", d)),
        ], scheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>Sends requests for the demo provider's logical host to this app's own listener.</summary>
    private sealed class LoopbackHandler(IServer server, int? staffPort) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { Host: DemoIdp.Host } uri)
            {
                var self = SelfAddress();
                request.RequestUri = new UriBuilder(uri) { Scheme = self.Scheme, Host = self.Host, Port = self.Port }.Uri;
            }
            return base.SendAsync(request, cancellationToken);
        }

        private Uri SelfAddress()
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
            {
                var text = address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                    .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
                    .Replace("://localhost", "://127.0.0.1", StringComparison.Ordinal);
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Port != staffPort && uri.Scheme == Uri.UriSchemeHttp)
                {
                    return uri;
                }
            }
            foreach (var address in addresses)
            {
                if (Uri.TryCreate(address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var uri) && uri.Port != staffPort)
                {
                    return uri;
                }
            }
            throw new InvalidOperationException("The demo identity provider needs the app to listen on a network address (Kestrel).");
        }
    }
}
