using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Accounts;

/// <summary>What we store about the resident: see it, download it, delete it.</summary>
[Authorize(Policy = Policies.Resident)]
public sealed class DataModel(AppDb db, TimeProvider clock, Ui t, IEnumerable<IResidentData> otherData) : PageModel
{
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public AccountsApi.ProfileView View { get; private set; } = null!;

    [BindProperty]
    public bool Confirm { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var resident = await LoadAsync(ct);
        if (resident is null) return Redirect("/account/signin");
        View = AccountsApi.ToView(resident);
        return Page();
    }

    public async Task<IActionResult> OnGetDownloadAsync(CancellationToken ct)
    {
        var resident = await LoadAsync(ct);
        if (resident is null) return Redirect("/account/signin");
        db.Audit(clock, AuditLog.ActorOf(User), "resident.data-exported", $"resident:{resident.Id}");
        await db.SaveChangesAsync(ct);
        var export = JsonSerializer.SerializeToNode(AccountsApi.ToView(resident), ExportJson)!.AsObject();
        foreach (var source in otherData)
        {
            export[source.Key] = JsonSerializer.SerializeToNode(await source.ExportAsync(db, resident.Id, ct), ExportJson);
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(export, ExportJson);
        return File(json, "application/json", "madoguchi-my-data.json");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        var resident = await LoadAsync(ct);
        if (resident is null) return Redirect("/account/signin");
        if (!Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), t["data.delete.confirm.required"]);
            View = AccountsApi.ToView(resident);
            return Page();
        }
        db.Residents.Remove(resident);
        // The audit entry keeps only the id: the person is gone, the fact that they asked is not.
        db.Audit(clock, AuditLog.ActorOf(User), "resident.deleted", $"resident:{resident.Id}");
        await db.SaveChangesAsync(ct);
        await HttpContext.SignOutAsync(Schemes.Resident);
        return Redirect("/account/deleted");
    }

    private Task<Resident?> LoadAsync(CancellationToken ct)
    {
        var id = User.ResidentId();
        return db.Residents.Include(r => r.Household).SingleOrDefaultAsync(r => r.Id == id, ct);
    }
}
