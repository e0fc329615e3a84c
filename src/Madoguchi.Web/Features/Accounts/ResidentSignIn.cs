using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Madoguchi.Web.Platform.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Madoguchi.Web.Features.Accounts;

public sealed class OidcProviderOptions
{
    /// <summary>The provider's issuer; discovery is read from {Authority}/.well-known/openid-configuration.</summary>
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string Scopes { get; set; } = "openid name address birthdate gender";
    /// <summary>Optional acr_values, e.g. "aal3 crl" for the national card service.</summary>
    public string? AcrValues { get; set; }
    /// <summary>The assurance a sign-in with this provider carries.</summary>
    public Assurance Assurance { get; set; } = Assurance.High;
}

/// <summary>Turns a completed OpenID Connect sign-in into a resident: profile upsert, verified fields, audit.</summary>
public static class ResidentSignIn
{
    public const string ResidentScheme = "Resident";
    public const string OidcScheme = "Oidc";

    internal static void Configure(OpenIdConnectOptions o, OidcProviderOptions provider, bool demo, bool requireHttps)
    {
        OidcClient.ConfigureCodeFlow(o, ResidentScheme, demo ? DemoIdp.Authority : provider.Authority, demo ? DemoIdp.ClientId : provider.ClientId,
            "/signin-oidc", provider.Scopes, requireHttps && !demo, requireHttps);
        o.GetClaimsFromUserInfoEndpoint = true;
        o.ClaimActions.MapUniqueJsonKey("address", "address");
        o.ClaimActions.MapUniqueJsonKey("birthdate", "birthdate");
        o.ClaimActions.MapUniqueJsonKey("gender", "gender");

        o.Events.OnRedirectToIdentityProvider = context =>
        {
            if (demo)
            {
                // The demo provider lives in this app: send the browser to it on the host the browser already uses.
                var request = context.Request;
                context.ProtocolMessage.IssuerAddress = $"{request.Scheme}://{request.Host}{request.PathBase}/demo-idp/authorize";
            }
            else if (!string.IsNullOrEmpty(provider.AcrValues))
            {
                context.ProtocolMessage.AcrValues = provider.AcrValues;
            }
            return Task.CompletedTask;
        };
        o.Events.OnTicketReceived = async context =>
        {
            var services = context.HttpContext.RequestServices;
            var assurance = demo
                ? (context.Principal!.FindAll("amr").Any(c => c.Value == "mnc") ? Assurance.High : Assurance.Low)
                : provider.Assurance;
            var resident = await UpsertAsync(services.GetRequiredService<AppDb>(), services.GetRequiredService<TimeProvider>(),
                demo ? DemoIdp.ProviderName : "oidc", context.Principal!, assurance, services.GetRequiredService<Ui>().Language, context.HttpContext.RequestAborted);
            context.Principal = PrincipalFor(resident.Id, assurance);
        };
        o.Events.OnRemoteFailure = context => OidcClient.FailToAsync(context, "/account/signin?failed=true");
    }

    public static ClaimsPrincipal PrincipalFor(Guid residentId, Assurance assurance) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, residentId.ToString()),
            new Claim("kind", "resident"),
            new Claim("assurance", assurance.ToString()),
        ], ResidentScheme));

    /// <summary>Creates or updates the resident. With high assurance the 基本4情報 become verified fields that the resident cannot edit.</summary>
    internal static async Task<Resident> UpsertAsync(AppDb db, TimeProvider clock, string providerName, ClaimsPrincipal external, Assurance assurance, string language, CancellationToken ct)
    {
        var subject = external.FindFirstValue("sub") ?? throw new InvalidOperationException("The provider returned no subject.");
        var now = clock.GetUtcNow().UtcDateTime;
        var resident = await db.Residents.SingleOrDefaultAsync(r => r.IdentityProvider == providerName && r.Subject == subject, ct);
        if (resident is null)
        {
            resident = new Resident { IdentityProvider = providerName, Subject = subject, CreatedAt = now };
            db.Residents.Add(resident);
        }
        if (assurance == Assurance.High)
        {
            var verified = new HashSet<string>(resident.VerifiedFields);
            if (external.FindFirstValue("name") is { Length: > 0 } name)
            {
                resident.Name = JapaneseText.Clean(name);
                verified.Add(ProfileFields.Name);
            }
            if (ParseBirthDate(external.FindFirstValue("birthdate")) is { } birth)
            {
                resident.BirthDate = birth;
                verified.Add(ProfileFields.BirthDate);
            }
            if (ParseGender(external.FindFirstValue("gender")) is { } sex)
            {
                resident.Sex = sex;
                verified.Add(ProfileFields.Sex);
            }
            if (ParseAddress(external.FindFirstValue("address")) is { } address)
            {
                (resident.Prefecture, resident.City, resident.Ward, var rest) = JapaneseText.SplitAddress(address.Line);
                (resident.Town, resident.Block) = JapaneseText.SplitTownAndBlock(rest);
                if (address.PostalCode is not null)
                {
                    resident.PostalCode = address.PostalCode;
                }
                verified.Add(ProfileFields.Address);
            }
            resident.VerifiedFields = [.. verified.Order()];
        }
        resident.LastAssurance = assurance;
        resident.LastSignInAt = now;
        resident.Language = language;
        resident.UpdatedAt = now;
        db.Audit(clock, $"resident:{resident.Id}", "resident.signin", $"resident:{resident.Id}", new { provider = providerName, assurance = assurance.ToString() });
        await db.SaveChangesAsync(ct);
        return resident;
    }

    /// <summary>"19850315", "1985-03-15" or "1985/03/15".</summary>
    internal static DateOnly? ParseBirthDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 8 && DateOnly.TryParseExact(digits, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    /// <summary>ISO/IEC 5218 codes ("1" male, "2" female) or the OIDC words.</summary>
    internal static string? ParseGender(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "1" or "male" => "male",
        "2" or "female" => "female",
        _ => null,
    };

    /// <summary>A one-line address string, or an OIDC address object (formatted / region+locality+street_address, postal_code).</summary>
    internal static (string Line, string? PostalCode)? ParseAddress(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!value.TrimStart().StartsWith('{')) return (JapaneseText.Clean(value), null);
        using var json = JsonDocument.Parse(value);
        string? Get(string name) => json.RootElement.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var line = Get("formatted") ?? string.Concat(Get("region"), Get("locality"), Get("street_address"));
        return string.IsNullOrWhiteSpace(line) ? null : (JapaneseText.Clean(line), JapaneseText.NormalizePostcode(Get("postal_code")));
    }
}
