using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Forms;
using Madoguchi.Web.Features.Payments;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Applications;

/// <summary>One application as its owner sees it: reference, status and timeline, answers, payment, and what can be done next.</summary>
[Authorize(Policy = Policies.Resident)]
public sealed class DetailModel(
    Filing filing, PaymentGateway payments, Approvals.Approvals approvals, AppDb db, CatalogIndex index, Ui t, CityCalendar calendar,
    IOptions<CatalogOptions> city, IOptions<Approvals.ApprovalOptions> signatory) : PageModel
{
    public Application Application { get; private set; } = null!;
    public FormDefinition Form { get; private set; } = null!;
    public Payment? Payment { get; private set; }
    public string ProcedureName { get; private set; } = "";
    public List<AttachedFile> Files { get; private set; } = [];
    /// <summary>The decision notice's number, once the case is completed and the notice issued.</summary>
    public string? NoticeNumber { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    /// <summary>The provider's return address. It proves nothing by itself: we ask the provider where the payment stands.</summary>
    public async Task<IActionResult> OnGetPaidAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } other) return other;
        if (Payment is { } payment && !PaymentStatus.Final(payment.Status))
        {
            await payments.RefreshAsync(payment, ct);
        }
        return Redirect($"/applications/{id}");
    }

    public async Task<IActionResult> OnPostPayAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } other) return other;
        if (Application.Status != ApplicationStatus.PaymentPending || Payment is null || PaymentStatus.Final(Payment.Status))
        {
            return Redirect($"/applications/{id}");
        }
        var next = await payments.StartAsync(Payment, $"{t.BaseUrl}/applications/{id}/paid", ct);
        return Redirect(next ?? $"/applications/{id}?payment=unavailable");
    }

    /// <summary>The receipt (領収書) of a paid fee, as a document of its own to print or save as PDF; none before payment.</summary>
    public async Task<IActionResult> OnGetReceiptAsync(Guid id, CancellationToken ct)
    {
        if (await filing.OwnedAsync(id, User.ResidentId(), ct) is not { } application
            || await db.Payments.AsNoTracking().LatestForAsync(application, ct) is not { Status: PaymentStatus.Succeeded, SettledAt: { } paid } payment)
        {
            return NotFound();
        }
        var name = await db.Residents.AsNoTracking().Where(r => r.Id == application.ResidentId).Select(r => r.Name).SingleOrDefaultAsync(ct) ?? "";
        return Partial("/Features/Payments/_Receipt.cshtml", new ReceiptView(
            city.Value.CityName, signatory.Value.Signatory, payment.Reference, CityCalendar.ToWareki(calendar.Today),
            CityCalendar.ToWareki(DateOnly.FromDateTime(calendar.ToLocal(paid))), name, payment.Description, payment.AmountYen, payment.RefundedYen));
    }

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } other) return other;
        await filing.WithdrawAsync(Application, ct);
        return Redirect($"/applications/{id}");
    }

    public async Task<IActionResult> OnPostDiscardAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } other) return other;
        return await filing.DiscardAsync(Application, ct) ? Redirect("/applications?discarded=1") : Redirect($"/applications/{id}");
    }

    /// <summary>An attached file, to its owner only, always as a download (never shown inline).</summary>
    public async Task<IActionResult> OnGetFileAsync(Guid id, Guid file, CancellationToken ct)
    {
        if (await filing.OwnedAsync(id, User.ResidentId(), ct) is null) return NotFound();
        var attachment = await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == file && a.ApplicationId == id, ct);
        if (attachment is null) return NotFound();
        Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return File(attachment.Content, "application/octet-stream", attachment.FileName);
    }

    /// <summary>The decision notice (決定通知書), print-ready, for the owner once it has been issued.</summary>
    public async Task<IActionResult> OnGetNoticeAsync(Guid id, CancellationToken ct)
    {
        if (await filing.OwnedAsync(id, User.ResidentId(), ct) is not { Status: ApplicationStatus.Completed } application) return NotFound();
        return await approvals.NoticeAsync(application, t.Language, ct) is { } notice ? Partial("/Features/Approvals/_Notice.cshtml", notice) : NotFound();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await filing.OwnedAsync(id, User.ResidentId(), ct) is not { } application) return NotFound();
        Application = application;
        Form = await filing.FormAsync(application, ct) ?? throw new InvalidOperationException("Form version missing.");
        Payment = await db.Payments.LatestForAsync(application, ct);
        Files = await db.Attachments.AsNoTracking().Where(a => a.ApplicationId == id).Select(a => new AttachedFile
        {
            Id = a.Id, ApplicationId = a.ApplicationId, FieldKey = a.FieldKey, FileName = a.FileName, ContentType = a.ContentType, Size = a.Size,
            Sha256 = a.Sha256, Content = Array.Empty<byte>(), CreatedAt = a.CreatedAt,
        }).ToListAsync(ct);
        NoticeNumber = application.Status == ApplicationStatus.Completed
            ? await db.Decisions.Where(d => d.ApplicationId == id && d.NoticeNumber != null).Select(d => d.NoticeNumber).FirstOrDefaultAsync(ct)
            : null;
        var catalog = await index.GetAsync(ct);
        ProcedureName = catalog.BySlug.TryGetValue(application.ProcedureSlug, out var entry) ? entry.Content.Name.In(t.Language) : Form.Title.In(t.Language);
        return null;
    }
}
