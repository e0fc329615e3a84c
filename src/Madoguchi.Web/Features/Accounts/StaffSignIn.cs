using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Madoguchi.Web.Features.Accounts;

public sealed class StaffOidcOptions
{
    /// <summary>The city's staff identity provider (e.g. its directory's OpenID Connect endpoint); empty leaves password + TOTP only.</summary>
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string Scopes { get; set; } = "openid";
    /// <summary>The claim that carries the staff login id.</summary>
    public string LoginClaim { get; set; } = "sub";
    /// <summary>amr values that prove a second factor; a sign-in without one is refused, as the local sign-in would be.</summary>
    public List<string> SecondFactorAmr { get; set; } = ["mfa", "otp", "hwk", "sc", "mnc"];
}

/// <summary>Staff sign-in through the city's OpenID Connect provider: the account must exist here and be active, and the provider must report a second factor.</summary>
public static class StaffSignIn
{
    public const string Scheme = "StaffOidc";

    internal static void Configure(OpenIdConnectOptions o, StaffOidcOptions provider, bool requireHttps)
    {
        OidcClient.ConfigureCodeFlow(o, Schemes.Staff, provider.Authority, provider.ClientId, "/staff/signin-oidc", provider.Scopes, requireHttps, requireHttps);
        o.Events.OnTicketReceived = async context =>
        {
            var services = context.HttpContext.RequestServices;
            var db = services.GetRequiredService<AppDb>();
            var clock = services.GetRequiredService<TimeProvider>();
            var principal = context.Principal!;
            var loginId = principal.FindFirst(provider.LoginClaim)?.Value;
            var staff = loginId is null ? null : await db.StaffMembers.SingleOrDefaultAsync(s => s.LoginId == loginId && s.Active, context.HttpContext.RequestAborted);
            var secondFactor = principal.FindAll("amr").Any(c => provider.SecondFactorAmr.Contains(c.Value));
            if (staff is null || !secondFactor)
            {
                db.Audit(clock, staff is null ? "anonymous" : $"staff:{staff.Id}", "staff.signin-failed", staff is null ? null : $"staff:{staff.Id}",
                    new { method = "oidc", reason = staff is null ? "no active account" : "no second factor" });
                await db.SaveChangesAsync(context.HttpContext.RequestAborted);
                // Handled, not Fail(): a failed TicketReceived would still sign the external principal in.
                context.Response.Redirect("/staff/login?failed=true");
                context.HandleResponse();
                return;
            }
            db.Audit(clock, $"staff:{staff.Id}", "staff.signin", $"staff:{staff.Id}", new { method = "oidc" });
            await db.SaveChangesAsync(context.HttpContext.RequestAborted);
            context.Principal = AccountsSetup.StaffPrincipal(staff, Schemes.Staff);
        };
        o.Events.OnRemoteFailure = context => OidcClient.FailToAsync(context, "/staff/login?failed=true");
    }
}
