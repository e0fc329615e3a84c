using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Madoguchi.Web.Platform.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Madoguchi.Web.Features.Accounts;

/// <summary>
/// The demo identity provider: a real OpenID Connect provider (discovery, authorization code + PKCE,
/// private_key_jwt client authentication, ES256 ID tokens, userinfo with the 基本4情報) that simulates the
/// national card sign-in with personas. It exists only in demo mode. The resident sign-in code talks to it
/// exactly as it talks to the city's production provider.
/// </summary>
public sealed class DemoIdp(IDataProtectionProvider protection, IMemoryCache used, TimeProvider clock, OidcClientKey clientKey)
{
    public const string ProviderName = "demo";
    /// <summary>The logical address this app's own sign-in is configured with; its back-channel reaches the local listener.</summary>
    public const string Host = "demo-idp.madoguchi.invalid";
    public const string Authority = "https://" + Host + "/demo-idp";
    public const string ClientId = "madoguchi-demo";
    public const string CardMethod = "card";
    public const string LocalMethod = "local";

    private readonly ECDsa signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string keyId = Guid.NewGuid().ToString("N")[..16];
    private readonly ITimeLimitedDataProtector codes = protection.CreateProtector("Madoguchi.DemoIdp.Code").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector accessTokens = protection.CreateProtector("Madoguchi.DemoIdp.Access").ToTimeLimitedDataProtector();

    public sealed record CodeGrant(string Persona, string Method, string RedirectUri, string CodeChallenge, string Nonce);

    /// <summary>The issuer is the address the provider was reached at, so another app can use it as its production provider.</summary>
    public static string IssuerFor(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/demo-idp";

    public static object Discovery(string issuer) => new Dictionary<string, object>
    {
        ["issuer"] = issuer,
        ["authorization_endpoint"] = issuer + "/authorize",
        ["token_endpoint"] = issuer + "/token",
        ["userinfo_endpoint"] = issuer + "/userinfo",
        ["jwks_uri"] = issuer + "/jwks",
        ["response_types_supported"] = new[] { "code" },
        ["response_modes_supported"] = new[] { "query" },
        ["grant_types_supported"] = new[] { "authorization_code" },
        ["subject_types_supported"] = new[] { "pairwise" },
        ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
        ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
        ["token_endpoint_auth_signing_alg_values_supported"] = new[] { "ES256" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
        ["scopes_supported"] = new[] { "openid", "name", "address", "birthdate", "gender" },
        ["claims_supported"] = new[] { "sub", "name", "address", "birthdate", "gender", "acr", "amr" },
    };

    public object Jwks() => OidcClientKey.JwksOf(signingKey, keyId);

    /// <summary>Checks an authorization request as the national service does: code flow, S256 PKCE, state and nonce required.</summary>
    public static string? RequestError(string? responseType, string? clientId, string? redirectUri, string? state, string? nonce, string? challenge, string? method)
    {
        if (responseType != "code") return "response_type must be code";
        if (clientId != ClientId) return "unknown client_id";
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) || !uri.AbsolutePath.EndsWith("/signin-oidc", StringComparison.Ordinal)) return "redirect_uri is not registered";
        if (string.IsNullOrEmpty(state) || string.IsNullOrEmpty(nonce)) return "state and nonce are required";
        if (string.IsNullOrEmpty(challenge) || method != "S256") return "code_challenge with S256 is required";
        return null;
    }

    public string IssueCode(CodeGrant grant) =>
        codes.Protect(JsonSerializer.Serialize(grant), clock.GetUtcNow().AddMinutes(2));

    public sealed record TokenResult(int Status, object Body);

    public TokenResult Exchange(IFormCollection form, string issuer)
    {
        if (form["grant_type"] != "authorization_code") return Error("unsupported_grant_type", "grant_type must be authorization_code");
        if (form["client_id"].ToString() is { Length: > 0 } id && id != ClientId) return Error("invalid_client", "unknown client");
        if (form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            return Error("invalid_client", "private_key_jwt client authentication is required");
        var assertionError = ValidateClientAssertion(form["client_assertion"].ToString(), issuer);
        if (assertionError is not null) return Error("invalid_client", assertionError);

        var code = form["code"].ToString();
        CodeGrant? grant;
        try
        {
            grant = JsonSerializer.Deserialize<CodeGrant>(codes.Unprotect(code, out var expires));
            if (expires < clock.GetUtcNow()) grant = null;
        }
        catch (CryptographicException)
        {
            grant = null;
        }
        if (grant is null) return Error("invalid_grant", "the code is invalid or expired");
        if (!used.TryGetValue("code:" + code, out _))
        {
            used.Set("code:" + code, true, TimeSpan.FromMinutes(5));
        }
        else
        {
            return Error("invalid_grant", "the code was already used");
        }
        if (grant.RedirectUri != form["redirect_uri"]) return Error("invalid_grant", "redirect_uri does not match");
        var verifier = form["code_verifier"].ToString();
        if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.CodeChallenge)
            return Error("invalid_grant", "PKCE verification failed");

        var now = clock.GetUtcNow();
        var card = grant.Method == CardMethod;
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = ClientId,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(5).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = grant.Persona,
                ["nonce"] = grant.Nonce,
                ["acr"] = card ? "aal3" : "aal1",
                ["amr"] = card ? new[] { "mnc" } : new[] { "pwd" },
                ["auth_time"] = now.ToUnixTimeSeconds(),
            },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(signingKey) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256),
        });
        var accessToken = accessTokens.Protect(JsonSerializer.Serialize(grant), now.AddMinutes(10));
        return new TokenResult(200, new Dictionary<string, object>
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = 600,
            ["id_token"] = idToken,
            ["scope"] = "openid name address birthdate gender",
        });
    }

    /// <summary>The 基本4情報 in the shapes the card service uses: one-line address, yyyyMMdd birthdate, gender "1"/"2".</summary>
    public IResult UserInfo(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return Results.Unauthorized();
        CodeGrant? grant;
        try
        {
            grant = JsonSerializer.Deserialize<CodeGrant>(accessTokens.Unprotect(header["Bearer ".Length..], out _));
        }
        catch (CryptographicException)
        {
            return Results.Unauthorized();
        }
        var persona = DemoPersonas.Find(grant?.Persona);
        if (grant is null || persona is null) return Results.Unauthorized();
        if (grant.Method != CardMethod)
        {
            return Results.Json(new { sub = persona.Id });
        }
        return Results.Json(new
        {
            sub = persona.Id,
            name = persona.Name,
            address = persona.Address.Split(' ')[0],
            birthdate = persona.BirthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
            gender = persona.Sex == "female" ? "2" : "1",
        });
    }

    private string? ValidateClientAssertion(string assertion, string issuer)
    {
        if (string.IsNullOrEmpty(assertion)) return "client_assertion is missing";
        var result = new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = ClientId,
            ValidAudiences = [issuer + "/token", issuer],
            IssuerSigningKey = clientKey.PublicKey,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (nb, exp, _, _) => exp is { } e && e > clock.GetUtcNow().UtcDateTime.AddSeconds(-30) && e <= clock.GetUtcNow().UtcDateTime.AddMinutes(10),
        }).GetAwaiter().GetResult();
        if (!result.IsValid) return "client_assertion is invalid: " + result.Exception?.GetType().Name;
        var token = (JsonWebToken)result.SecurityToken;
        if (token.Subject != ClientId) return "client_assertion sub must be the client_id";
        var jti = token.Id;
        if (string.IsNullOrEmpty(jti) || used.TryGetValue("jti:" + jti, out _)) return "client_assertion jti is missing or reused";
        used.Set("jti:" + jti, true, TimeSpan.FromMinutes(10));
        return null;
    }

    private static TokenResult Error(string error, string description) =>
        new(400, new Dictionary<string, string> { ["error"] = error, ["error_description"] = description });

    public static void Map(IEndpointRouteBuilder app)
    {
        var idp = app.MapGroup("/demo-idp").ExcludeFromDescription();
        idp.MapGet("/.well-known/openid-configuration", (HttpRequest request) => Results.Json(Discovery(IssuerFor(request))));
        idp.MapGet("/jwks", (DemoIdp p) => Results.Json(p.Jwks()));
        idp.MapPost("/token", async (HttpRequest request, DemoIdp p) =>
        {
            if (!request.HasFormContentType) return Results.Json(new { error = "invalid_request" }, statusCode: 400);
            var result = p.Exchange(await request.ReadFormAsync(), IssuerFor(request));
            return Results.Json(result.Body, statusCode: result.Status);
        }).DisableAntiforgery().RequireRateLimiting(SecuritySetup.SignInLimit);
        idp.MapGet("/userinfo", (HttpRequest request, DemoIdp p) => p.UserInfo(request));
    }
}

/// <summary>
/// The key the app signs its private_key_jwt client assertions with (ES256). Production reads it from
/// Identity:Oidc:ClientKeyPem (a PKCS#8 EC key, kept out of the repository); demo mode makes one at start.
/// Its public half is published at /oidc/jwks.json for registration with the provider.
/// </summary>
public sealed class OidcClientKey
{
    private readonly ECDsa key;

    public OidcClientKey(IConfiguration configuration)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = configuration["Identity:Oidc:ClientKeyPem"];
        var file = configuration["Identity:Oidc:ClientKeyFile"];
        if (string.IsNullOrWhiteSpace(pem) && !string.IsNullOrWhiteSpace(file))
        {
            pem = File.ReadAllText(file);
        }
        if (!string.IsNullOrWhiteSpace(pem))
        {
            key.ImportFromPem(pem);
        }
        var p = key.ExportParameters(false);
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData([.. p.Q.X!, .. p.Q.Y!]))[..16];
        PublicKey = new ECDsaSecurityKey(ECDsa.Create(p)) { KeyId = KeyId };
    }

    public string KeyId { get; }
    public ECDsaSecurityKey PublicKey { get; }

    public string CreateAssertion(string clientId, string audience, DateTimeOffset now) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddSeconds(60).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = KeyId }, SecurityAlgorithms.EcdsaSha256),
        });

    public object Jwks() => JwksOf(key, KeyId);

    /// <summary>A JWK Set with the public half of a P-256 key: never the private part.</summary>
    public static object JwksOf(ECDsa key, string kid)
    {
        var p = key.ExportParameters(false);
        return new { keys = new[] { new { kty = "EC", crv = "P-256", use = "sig", alg = "ES256", kid, x = Base64UrlEncoder.Encode(p.Q.X), y = Base64UrlEncoder.Encode(p.Q.Y) } } };
    }
}
