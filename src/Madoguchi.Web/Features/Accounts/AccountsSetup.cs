using System.Security.Claims;
using Madoguchi.Web.Platform;
using Madoguchi.Web.Platform.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting.Server;

namespace Madoguchi.Web.Features.Accounts;

public static class Policies
{
    public const string Resident = "Resident";
    public const string ResidentApi = "ResidentApi";
    public const string Staff = "Staff";
    public const string StaffApi = "StaffApi";
    public const string Administrator = "Administrator";
    public const string AdministratorApi = "AdministratorApi";
    /// <summary>Staff who work a counter: call, serve and transfer tickets, change their counter's services.</summary>
    public const string Counter = "Counter";
    public const string CounterApi = "CounterApi";
    public const string AuditReader = "AuditReader";
    /// <summary>Staff who serve residents and may open their personal data (each opening is audited).</summary>
    public const string ResidentReader = "ResidentReader";
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
        var demo = DemoMode.IsEnabled(builder);
        var cookiePolicy = SecuritySetup.CookiePolicy(configuration, builder.Environment);
        var provider = configuration.GetSection("Identity:Oidc").Get<OidcProviderOptions>() ?? new OidcProviderOptions();
        var staffProvider = configuration.GetSection("Identity:StaffOidc").Get<StaffOidcOptions>() ?? new StaffOidcOptions();

        services.AddSingleton<OidcClientKey>();
        services.AddSingleton<TotpSecrets>();
        services.AddSingleton<DemoIdp>();
        services.AddScoped<LocalAccounts>();
        services.AddSingleton<Platform.IDemoSeeder, DemoSeed>();
        services.AddSingleton<Platform.IVerb, AddStaffVerb>();

        var auth = services.AddAuthentication(Schemes.Resident)
            // Residents: Lax so the sign-in redirect back from the identity provider keeps the session; sliding 30 minutes.
            .AddCookie(Schemes.Resident, o => Cookie(o, "madoguchi.resident", "/", SameSiteMode.Lax, "/account/signin", "/account/signin", TimeSpan.FromMinutes(30), sliding: true))
            // Staff: only under /staff, Strict, one working day at most.
            .AddCookie(Schemes.Staff, o =>
            {
                Cookie(o, "madoguchi.staff", "/staff", SameSiteMode.Strict, "/staff/login", "/staff/denied", TimeSpan.FromHours(9), sliding: false);
                // A deactivated or deleted account loses its session at the next request, not at cookie expiry.
                o.Events.OnValidatePrincipal = async context =>
                {
                    var id = context.Principal?.StaffId();
                    var db = context.HttpContext.RequestServices.GetRequiredService<Platform.Data.AppDb>();
                    if (id is null || !await db.StaffMembers.AnyAsync(s => s.Id == id && s.Active, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(Schemes.Staff);
                    }
                };
            })
            .AddCookie(Schemes.StaffPending, o => Cookie(o, "madoguchi.staff2fa", "/staff/login", SameSiteMode.Strict, "/staff/login", "/staff/login", TimeSpan.FromMinutes(5), sliding: false))
            .AddBearerToken(Schemes.Bearer, o => o.BearerTokenExpiration = TimeSpan.FromHours(1));

        var requireHttps = cookiePolicy == CookieSecurePolicy.Always;
        if (!string.IsNullOrEmpty(staffProvider.Authority))
        {
            auth.AddOpenIdConnect(StaffSignIn.Scheme, o => StaffSignIn.Configure(o, staffProvider, requireHttps));
        }
        if (demo || !string.IsNullOrEmpty(provider.Authority))
        {
            auth.AddOpenIdConnect(ResidentSignIn.OidcScheme, o => ResidentSignIn.Configure(o, provider, demo, requireHttps));
            if (demo)
            {
                // The demo provider is this app: its back-channel calls go to our own listener.
                services.AddOptions<OpenIdConnectOptions>(ResidentSignIn.OidcScheme)
                    .Configure<IServer>((o, server) => o.BackchannelHttpHandler = new DemoLoopbackHandler(server, DemoIdp.Host, configuration.GetValue<int?>("Staff:ListenPort")));
            }
        }

        void Cookie(CookieAuthenticationOptions o, string name, string path, SameSiteMode sameSite, string login, string denied, TimeSpan lifetime, bool sliding)
        {
            o.Cookie.Name = name;
            o.Cookie.Path = path;
            o.Cookie.SameSite = sameSite;
            o.Cookie.SecurePolicy = cookiePolicy;
            o.LoginPath = login;
            o.AccessDeniedPath = denied;
            o.ExpireTimeSpan = lifetime;
            o.SlidingExpiration = sliding;
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Resident, p => p.AddAuthenticationSchemes(Schemes.Resident).RequireClaim("kind", "resident"))
            .AddPolicy(Policies.ResidentApi, p => p.AddAuthenticationSchemes(Schemes.Bearer).RequireClaim("kind", "resident"))
            .AddPolicy(Policies.Staff, p => p.AddAuthenticationSchemes(Schemes.Staff).RequireClaim("kind", "staff"))
            .AddPolicy(Policies.StaffApi, p => p.AddAuthenticationSchemes(Schemes.Bearer).RequireClaim("kind", "staff"))
            .AddPolicy(Policies.Administrator, p => p.AddAuthenticationSchemes(Schemes.Staff).RequireClaim("kind", "staff").RequireRole(StaffRoles.Administrator))
            .AddPolicy(Policies.Counter, p => p.AddAuthenticationSchemes(Schemes.Staff).RequireClaim("kind", "staff").RequireRole(StaffRoles.Clerk, StaffRoles.Caseworker, StaffRoles.Approver, StaffRoles.Administrator))
            .AddPolicy(Policies.CounterApi, p => p.AddAuthenticationSchemes(Schemes.Bearer).RequireClaim("kind", "staff").RequireRole(StaffRoles.Clerk, StaffRoles.Caseworker, StaffRoles.Approver, StaffRoles.Administrator))
            .AddPolicy(Policies.AdministratorApi, p => p.AddAuthenticationSchemes(Schemes.Bearer).RequireClaim("kind", "staff").RequireRole(StaffRoles.Administrator))
            .AddPolicy(Policies.ResidentReader, p => p.AddAuthenticationSchemes(Schemes.Staff).RequireClaim("kind", "staff").RequireRole(StaffRoles.Clerk, StaffRoles.Caseworker, StaffRoles.Approver))
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
        // Limits first: none depends on who is asking, and a submission turned away in a rush then costs no token or
        // cookie check (ADR 0010).
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        var demo = app.Services.GetRequiredService<DemoMode>().Enabled;
        app.MapGet("/oidc/jwks.json", (OidcClientKey key) => Results.Json(key.Jwks())).ExcludeFromDescription();
        app.MapGet("/staff/login/city", async (IAuthenticationSchemeProvider schemes) =>
            await schemes.GetSchemeAsync(StaffSignIn.Scheme) is null
                ? Results.NotFound()
                : Results.Challenge(new AuthenticationProperties { RedirectUri = "/staff" }, [StaffSignIn.Scheme]));
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

    /// <summary>How the resident signed in this time: High with the My Number card, Low with a local account.</summary>
    public static Assurance ResidentAssurance(this ClaimsPrincipal user) =>
        Enum.TryParse<Assurance>(user.FindFirstValue("assurance"), out var assurance) ? assurance : Assurance.Low;

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
}
