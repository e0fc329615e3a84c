using Madoguchi.Web.Platform.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Accounts;

public static class AccountsApi
{
    public sealed record MemberView(string Name, string NameKana, string Relationship, DateOnly? BirthDate);

    public sealed record AddressView(string PostalCode, string Prefecture, string City, string Ward, string Town, string Block, string Building);

    public sealed record ProfileView(
        Guid Id, string Name, string NameKana, DateOnly? BirthDate, string? Sex, AddressView Address, string? Phone, string? Email,
        bool ResidenceCardHolder, IReadOnlyList<string> VerifiedFields, string Assurance, IReadOnlyList<MemberView> Household);

    public static ProfileView ToView(Resident r) => new(
        r.Id, r.Name, r.NameKana, r.BirthDate, r.Sex,
        new AddressView(r.PostalCode, r.Prefecture, r.City, r.Ward, r.Town, r.Block, r.Building),
        r.Phone, r.Email, r.ResidenceCardHolder, r.VerifiedFields, r.LastAssurance.ToString(),
        [.. r.Household.Select(m => new MemberView(m.Name, m.NameKana, m.Relationship, m.BirthDate))]);

    public sealed record StaffView(Guid Id, string LoginId, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Departments);

    public sealed record PersonaView(string Id, string Name, string Situation, bool HasCard);

    public sealed record StaffPersonaView(string Id, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Departments);

    public sealed record PersonasView(IReadOnlyList<PersonaView> Residents, IReadOnlyList<StaffPersonaView> Staff);

    public sealed record TokenRequest(string? Persona, string? Staff);

    public sealed record TokenView(string access_token, string token_type, int expires_in);

    public static void Map(WebApplication app, bool demo)
    {
        var api = app.MapGroup("/api/v1").WithTags("Accounts");
        api.MapGet("/me", GetMe).RequireAuthorization(Policies.ResidentApi);
        api.MapGet("/staff/me", GetStaffMe).RequireAuthorization(Policies.StaffApi);

        if (demo)
        {
            var demoApi = app.MapGroup("/api/v1/demo").WithTags("Demo");
            demoApi.MapGet("/personas", () => TypedResults.Ok(new PersonasView(
                [.. DemoPersonas.Residents.Select(p => new PersonaView(p.Id, p.Name, p.Situation, p.HasCard))],
                [.. DemoPersonas.StaffMembers.Select(s => new StaffPersonaView(s.Id, s.Name, s.Roles, s.Departments))])));
            demoApi.MapPost("/token", IssueDemoToken).RequireRateLimiting(SecuritySetup.SignInLimit);
        }
    }

    internal static async Task<Results<Ok<ProfileView>, NotFound>> GetMe(HttpContext context, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var id = context.User.ResidentId();
        var resident = await db.Residents.AsNoTracking().Include(r => r.Household).SingleOrDefaultAsync(r => r.Id == id, ct);
        return resident is null ? TypedResults.NotFound() : TypedResults.Ok(ToView(resident));
    }

    internal static async Task<Results<Ok<StaffView>, NotFound>> GetStaffMe(HttpContext context, AppDb db, CancellationToken ct)
    {
        var id = context.User.StaffId();
        var staff = await db.StaffMembers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        return staff is null ? TypedResults.NotFound() : TypedResults.Ok(new StaffView(staff.Id, staff.LoginId, staff.Name, staff.Roles, staff.Departments));
    }

    /// <summary>Demo mode only: a bearer token for a persona (card sign-in, high assurance) or a demo staff member, for scripts and tests.</summary>
    internal static async Task<Results<Ok<TokenView>, ValidationProblem>> IssueDemoToken(
        TokenRequest request, AppDb db, TimeProvider clock, IOptionsMonitor<BearerTokenOptions> bearer, CancellationToken ct)
    {
        System.Security.Claims.ClaimsPrincipal principal;
        if (DemoPersonas.Find(request.Persona) is { } persona)
        {
            var resident = await db.Residents.SingleOrDefaultAsync(r => r.IdentityProvider == DemoIdp.ProviderName && r.Subject == persona.Id, ct);
            if (resident is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["persona"] = ["The demo data is not seeded; run the seed-demo verb."] });
            }
            var assurance = persona.HasCard ? Assurance.High : Assurance.Low;
            db.Audit(clock, $"resident:{resident.Id}", "resident.signin", $"resident:{resident.Id}", new { provider = "demo-token", assurance = assurance.ToString() });
            await db.SaveChangesAsync(ct);
            principal = ResidentSignIn.PrincipalFor(resident.Id, assurance);
        }
        else if (request.Staff is { Length: > 0 } staffId && DemoPersonas.StaffMembers.Any(s => s.Id == staffId))
        {
            var staff = await db.StaffMembers.SingleOrDefaultAsync(s => s.LoginId == staffId, ct);
            if (staff is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["staff"] = ["The demo data is not seeded; run the seed-demo verb."] });
            }
            db.Audit(clock, $"staff:{staff.Id}", "staff.signin", $"staff:{staff.Id}", new { method = "demo-token" });
            await db.SaveChangesAsync(ct);
            principal = AccountsSetup.StaffPrincipal(staff, Schemes.Bearer);
        }
        else
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["persona"] = ["Give a known resident persona id as \"persona\" or a demo staff id as \"staff\" (see GET /api/v1/demo/personas)."],
            });
        }
        var options = bearer.Get(Schemes.Bearer);
        var now = clock.GetUtcNow();
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.BearerTokenExpiration }, Schemes.Bearer);
        return TypedResults.Ok(new TokenView(options.BearerTokenProtector.Protect(ticket), "Bearer", (int)options.BearerTokenExpiration.TotalSeconds));
    }
}
