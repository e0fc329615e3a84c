using System.Security.Claims;
using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Madoguchi.Web.Features.Casework;

public sealed class CaseworkOptions
{
    /// <summary>The department id of the centralized processing center (デジタル事務集中処理センター).</summary>
    public string CenterDepartment { get; set; } = "center";
    /// <summary>Procedure codes the center handles for every ward, whichever department owns them.</summary>
    public List<string> CenterProcedures { get; set; } = [];
    /// <summary>The standard processing period, in open days, for procedures whose own period varies.</summary>
    public int DefaultProcessingDays { get; set; } = 20;
    /// <summary>Cases due within this many days are highlighted as near due.</summary>
    public int NearDueDays { get; set; } = 3;
}

/// <summary>A note staff keep on a case for each other; never shown to the resident.</summary>
public sealed class CaseNote
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid ApplicationId { get; init; }
    public required Guid StaffId { get; init; }
    public required string StaffName { get; init; }
    public required DateTime At { get; init; }
    public required string Text { get; init; }
}

internal sealed class CaseNoteConfiguration : IEntityTypeConfiguration<CaseNote>
{
    public void Configure(EntityTypeBuilder<CaseNote> note)
    {
        note.ToTable("case_notes");
        note.HasIndex(n => new { n.ApplicationId, n.At });
        note.Property(n => n.StaffName).HasMaxLength(120);
        note.Property(n => n.Text).HasMaxLength(2000);
        note.HasOne<Application>().WithMany().HasForeignKey(n => n.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Which cases a staff member sees: those of their departments, and for the processing center its procedures in every
/// ward. Caseworkers and approvers act on them; auditors only read. Everyone else sees none. Approvers also open the cases
/// of other departments whose approval route consults their department (合議), to decide their step: see
/// <see cref="Cases.FindAsync"/>.
/// </summary>
public sealed record CaseScope(
    IReadOnlyList<string> Departments, IReadOnlyList<string> Procedures, bool CanWork, bool CanRead, Guid? StaffId = null, IReadOnlyList<string>? ApproveAs = null)
{
    /// <summary>The inbox filter for the cases whose current approval step this staff member may decide.</summary>
    public const string Awaiting = "awaiting";

    /// <summary>The statuses of the back office: drafts, unpaid and expired applications never reach it.</summary>
    public static readonly IReadOnlyList<string> Statuses =
    [
        ApplicationStatus.Received, ApplicationStatus.InReview, ApplicationStatus.Returned, ApplicationStatus.Corrected,
        ApplicationStatus.DecisionProposed, ApplicationStatus.Approved, ApplicationStatus.Rejected, ApplicationStatus.Completed, ApplicationStatus.Withdrawn,
    ];

    /// <summary>Cases still waiting for the city: what counts towards overdue.</summary>
    public static readonly IReadOnlyList<string> Open =
    [
        ApplicationStatus.Received, ApplicationStatus.InReview, ApplicationStatus.Corrected, ApplicationStatus.DecisionProposed, ApplicationStatus.Approved, ApplicationStatus.Rejected,
    ];

    public static CaseScope Of(ClaimsPrincipal user, CaseworkOptions options)
    {
        var departments = user.FindAll("department").Select(c => c.Value).ToList();
        var work = user.IsInRole(StaffRoles.Caseworker) || user.IsInRole(StaffRoles.Approver);
        var read = work || user.IsInRole(StaffRoles.Auditor);
        var procedures = departments.Contains(options.CenterDepartment) ? options.CenterProcedures : [];
        List<string> approveAs = user.IsInRole(StaffRoles.Approver) ? [.. StaffRoles.All.Where(user.IsInRole)] : [];
        return read ? new CaseScope(departments, procedures, work, read, user.StaffId(), approveAs) : new CaseScope([], [], false, false);
    }

    public IQueryable<Application> Filter(IQueryable<Application> cases)
    {
        var departments = Departments.ToList();
        var procedures = Procedures.ToList();
        cases = cases.Where(a => Statuses.Contains(a.Status));
        // One column, and one value, when it can be: PostgreSQL gets lists as array parameters, cannot drop an empty side
        // of an OR, and walks an index in due order only for a single value. Then the page needs no sort.
        if (procedures.Count == 0 && departments.Count == 1)
        {
            var department = departments[0];
            return cases.Where(a => a.Department == department);
        }
        return procedures.Count == 0 ? cases.Where(a => departments.Contains(a.Department))
            : departments.Count == 0 ? cases.Where(a => procedures.Contains(a.ProcedureCode))
            : cases.Where(a => departments.Contains(a.Department) || procedures.Contains(a.ProcedureCode));
    }

    /// <summary>Claim, assign, annotate, move or propose: only on the case's own side, never on a case merely consulted.</summary>
    public bool CanWorkOn(Application a) => CanWork && Covers(a);

    public bool Covers(Application a) =>
        CanRead && Statuses.Contains(a.Status) && (Departments.Contains(a.Department) || Procedures.Contains(a.ProcedureCode));
}
