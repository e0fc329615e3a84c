using Madoguchi.Web.Platform;
using Madoguchi.Web.Platform.Text;

namespace Madoguchi.Web.Features.Accounts;

/// <summary>Puts the demo personas' profiles and the demo staff in place. Safe to run again.</summary>
public sealed class DemoSeed : IDemoSeeder
{
    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDb>();
        var clock = services.GetRequiredService<TimeProvider>();
        var totp = services.GetRequiredService<TotpSecrets>();
        var now = clock.GetUtcNow().UtcDateTime;

        var existing = await db.Residents.Where(r => r.IdentityProvider == DemoIdp.ProviderName).Select(r => r.Subject).ToListAsync(ct);
        foreach (var p in DemoPersonas.Residents.Where(p => !existing.Contains(p.Id)))
        {
            var (prefecture, city, ward, rest) = JapaneseText.SplitAddress(p.Address);
            var parts = rest.Split(' ', 2);
            db.Residents.Add(new Resident
            {
                IdentityProvider = DemoIdp.ProviderName,
                Subject = p.Id,
                CreatedAt = now,
                UpdatedAt = now,
                Name = p.Name,
                NameKana = p.Kana,
                BirthDate = p.BirthDate,
                Sex = p.Sex,
                PostalCode = p.PostalCode,
                Prefecture = prefecture,
                City = city,
                Ward = ward,
                Town = JapaneseText.SplitTownAndBlock(parts[0]).Town,
                Block = JapaneseText.SplitTownAndBlock(parts[0]).Block,
                Building = parts.Length > 1 ? parts[1] : "",
                Phone = p.Phone,
                Email = p.Email,
                EmailVerified = true,
                ResidenceCardHolder = p.ResidenceCardHolder,
                Household = [.. p.Household.Select(m => new HouseholdMember { Name = m.Name, NameKana = m.Kana, Relationship = m.Relationship, BirthDate = m.BirthDate })],
            });
        }

        await db.SaveChangesAsync(ct);

        var staffIds = await db.StaffMembers.Select(s => s.LoginId).ToListAsync(ct);
        foreach (var s in DemoPersonas.StaffMembers.Where(s => !staffIds.Contains(s.Id)))
        {
            await StaffAccounts.CreateAsync(db, totp, clock, "system:demo-seed", s.Id, s.Name, s.Roles, s.Departments, DemoPersonas.DemoStaffPassword, ct);
        }
    }
}
