using Madoguchi.Web.Platform.Text;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Accounts;

[Authorize(Policy = Policies.Resident)]
public sealed class ProfileModel(AppDb db, TimeProvider clock, Ui t) : PageModel
{
    public static readonly IReadOnlyList<string> Relationships = ["spouse", "child", "parent", "sibling", "other"];

    public sealed class ProfileInput
    {
        public string? Name { get; set; }
        public string? NameKana { get; set; }
        public DateOnly? BirthDate { get; set; }
        public string? Sex { get; set; }
        public string? PostalCode { get; set; }
        public string? Prefecture { get; set; }
        public string? City { get; set; }
        public string? Ward { get; set; }
        public string? Town { get; set; }
        public string? Block { get; set; }
        public string? Building { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
    }

    public sealed class MemberInput
    {
        public string? Name { get; set; }
        public string? NameKana { get; set; }
        public string? Relationship { get; set; }
        public DateOnly? BirthDate { get; set; }
    }

    [BindProperty]
    public ProfileInput Input { get; set; } = new();

    [BindProperty]
    public MemberInput Member { get; set; } = new();

    public Resident Resident { get; private set; } = null!;

    [TempData]
    public string? Saved { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } missing) return missing;
        Input = new ProfileInput
        {
            Name = Resident.Name,
            NameKana = Resident.NameKana,
            BirthDate = Resident.BirthDate,
            Sex = Resident.Sex,
            PostalCode = Resident.PostalCode,
            Prefecture = Resident.Prefecture,
            City = Resident.City,
            Ward = Resident.Ward,
            Town = Resident.Town,
            Block = Resident.Block,
            Building = Resident.Building,
            Phone = Resident.Phone,
            Email = Resident.Email,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } missing) return missing;
        ModelState.Clear();
        var r = Resident;
        if (!r.IsVerified(ProfileFields.Name))
        {
            r.Name = Required(nameof(Input.Name), Input.Name, 100);
        }
        var kana = JapaneseText.Clean(Input.NameKana);
        if (kana.Length > 0 && !JapaneseText.IsKatakana(JapaneseText.ToKatakana(kana)))
        {
            ModelState.AddModelError("Input.NameKana", t["validation.kana"]);
        }
        r.NameKana = JapaneseText.ToKatakana(kana);
        if (!r.IsVerified(ProfileFields.BirthDate))
        {
            if (Input.BirthDate is { } b && (b.Year < 1900 || b > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            {
                ModelState.AddModelError("Input.BirthDate", t["validation.birthdate"]);
            }
            r.BirthDate = Input.BirthDate;
        }
        if (!r.IsVerified(ProfileFields.Sex))
        {
            r.Sex = Input.Sex is "female" or "male" ? Input.Sex : null;
        }
        if (!string.IsNullOrWhiteSpace(Input.PostalCode))
        {
            var postcode = JapaneseText.NormalizePostcode(Input.PostalCode);
            if (postcode is null) ModelState.AddModelError("Input.PostalCode", t["validation.postcode"]);
            r.PostalCode = postcode ?? r.PostalCode;
        }
        else
        {
            r.PostalCode = "";
        }
        if (!r.IsVerified(ProfileFields.Address))
        {
            r.Prefecture = Optional(nameof(Input.Prefecture), Input.Prefecture, 10);
            r.City = Optional(nameof(Input.City), Input.City, 50);
            r.Ward = Optional(nameof(Input.Ward), Input.Ward, 50);
            r.Town = Optional(nameof(Input.Town), Input.Town, 100);
            r.Block = Optional(nameof(Input.Block), Input.Block, 50);
        }
        r.Building = Optional(nameof(Input.Building), Input.Building, 100);
        if (!string.IsNullOrWhiteSpace(Input.Phone))
        {
            var phone = JapaneseText.NormalizePhone(Input.Phone);
            if (phone is null) ModelState.AddModelError("Input.Phone", t["validation.phone"]);
            r.Phone = phone;
        }
        else
        {
            r.Phone = null;
        }
        if (r.IdentityProvider != LocalAccounts.Provider)
        {
            var email = Input.Email?.Trim();
            if (!string.IsNullOrEmpty(email) && !RegisterModel.IsEmail(email))
            {
                ModelState.AddModelError("Input.Email", t["validation.email.format"]);
            }
            r.Email = string.IsNullOrEmpty(email) ? null : email;
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        r.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        db.Audit(clock, AuditLog.ActorOf(User), "resident.profile-updated", $"resident:{r.Id}");
        await db.SaveChangesAsync(ct);
        Saved = "profile";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostAddMemberAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } missing) return missing;
        ModelState.Clear();
        var name = JapaneseText.Clean(Member.Name);
        if (name.Length == 0) ModelState.AddModelError("Member.Name", t["validation.required"]);
        var kana = JapaneseText.ToKatakana(Member.NameKana);
        if (kana.Length > 0 && !JapaneseText.IsKatakana(kana)) ModelState.AddModelError("Member.NameKana", t["validation.kana"]);
        if (!Relationships.Contains(Member.Relationship)) ModelState.AddModelError("Member.Relationship", t["validation.required"]);
        if (Member.BirthDate is { } b && (b.Year < 1900 || b > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(1)))
        {
            ModelState.AddModelError("Member.BirthDate", t["validation.birthdate"]);
        }
        if (Resident.Household.Count >= 20) ModelState.AddModelError("Member.Name", t["validation.household.full"]);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        db.HouseholdMembers.Add(new HouseholdMember { ResidentId = Resident.Id, Name = name, NameKana = kana, Relationship = Member.Relationship!, BirthDate = Member.BirthDate });
        db.Audit(clock, AuditLog.ActorOf(User), "resident.household-added", $"resident:{Resident.Id}");
        await db.SaveChangesAsync(ct);
        Saved = "member";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveMemberAsync(Guid memberId, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } missing) return missing;
        // Only the resident's own household: another id simply matches nothing.
        var member = Resident.Household.SingleOrDefault(m => m.Id == memberId);
        if (member is null) return NotFound();
        db.HouseholdMembers.Remove(member);
        db.Audit(clock, AuditLog.ActorOf(User), "resident.household-removed", $"resident:{Resident.Id}");
        await db.SaveChangesAsync(ct);
        Saved = "removed";
        return RedirectToPage();
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        var id = User.ResidentId();
        var resident = await db.Residents.Include(r => r.Household).SingleOrDefaultAsync(r => r.Id == id, ct);
        if (resident is null) return Redirect("/account/signin");
        Resident = resident;
        return null;
    }

    private string Required(string field, string? value, int max)
    {
        var cleaned = JapaneseText.Clean(value);
        if (cleaned.Length == 0) ModelState.AddModelError($"Input.{field}", t["validation.required"]);
        return Optional(field, cleaned, max);
    }

    private string Optional(string field, string? value, int max)
    {
        var cleaned = JapaneseText.Clean(value);
        if (cleaned.Length > max) ModelState.AddModelError($"Input.{field}", t.Format("validation.maxlength", max));
        return cleaned;
    }
}
