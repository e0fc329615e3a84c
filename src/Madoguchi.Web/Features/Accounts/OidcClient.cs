using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Madoguchi.Web.Features.Accounts;

/// <summary>
/// What every OpenID Connect sign-in here shares, residents' and staff's: authorization code with PKCE, query
/// response mode, ES256 (or RS256) ID tokens, and private_key_jwt client authentication with the app's key.
/// </summary>
internal static class OidcClient
{
    public static void ConfigureCodeFlow(OpenIdConnectOptions o, string signInScheme, string? authority, string? clientId,
        string callbackPath, string scopes, bool requireHttpsMetadata, bool secureCookies)
    {
        o.SignInScheme = signInScheme;
        o.Authority = authority;
        o.ClientId = clientId;
        o.CallbackPath = callbackPath;
        o.ResponseType = "code";
        o.ResponseMode = "query";
        o.UsePkce = true;
        o.RequireHttpsMetadata = requireHttpsMetadata;
        o.MapInboundClaims = false;
        o.SaveTokens = false;
        o.Scope.Clear();
        foreach (var scope in scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            o.Scope.Add(scope);
        }
        o.ClaimActions.Remove("acr");
        o.TokenValidationParameters.ValidAlgorithms = ["ES256", "RS256"];
        o.TokenValidationParameters.NameClaimType = "name";
        var cookiePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        o.CorrelationCookie.SecurePolicy = cookiePolicy;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = cookiePolicy;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.Events.OnAuthorizationCodeReceived = async context =>
        {
            // private_key_jwt: prove the client with an ES256 assertion instead of a shared secret.
            var key = context.HttpContext.RequestServices.GetRequiredService<OidcClientKey>();
            var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            var configuration = await context.Options.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
            context.TokenEndpointRequest!.ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
            context.TokenEndpointRequest.ClientAssertion = key.CreateAssertion(context.Options.ClientId!, configuration.TokenEndpoint, clock.GetUtcNow());
        };
    }

    /// <summary>Any failure at the provider step ends on the sign-in page with a notice; the reason goes to the log, not the browser.</summary>
    public static Task FailToAsync(RemoteFailureContext context, string signInPage)
    {
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcClient))
            .LogWarning("Sign-in failed at the identity provider step ({Scheme}): {Reason}", context.Scheme.Name, context.Failure?.Message);
        context.Response.Redirect(signInPage);
        context.HandleResponse();
        return Task.CompletedTask;
    }
}
