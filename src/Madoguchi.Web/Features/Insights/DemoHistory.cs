using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Approvals;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Counters;
using Madoguchi.Web.Platform;
using Madoguchi.Web.Platform.Calendar;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Insights;

/// <summary>
/// A year of the demo city's past cases, so the back office and the dashboard show figures worth reading: applications
/// through every channel (the online share growing month by month), most decided along their approval route and
/// completed, some decided on paper before the city went electronic, and the last weeks' cases still open — a few
/// overdue, a few waiting for the 課長 — plus a month of counter tickets. The people are the demo personas. Seeded once,
/// into a database without applications, unless <c>Demo:History</c> is false.
/// </summary>
public sealed class DemoHistory : IDemoSeeder
{
    private const string Actor = "system:demo-seed";

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        if (!services.GetRequiredService<IConfiguration>().GetValue("Demo:History", true)) return;
        var db = services.GetRequiredService<AppDb>();
        if (await db.Applications.AnyAsync(ct)) return;
        var clock = services.GetRequiredService<TimeProvider>();
        var calendar = services.GetRequiredService<CityCalendar>();
        var catalog = await services.GetRequiredService<CatalogIndex>().GetAsync(ct);
        var routes = services.GetRequiredService<IOptions<ApprovalOptions>>().Value;
        var defaultDays = services.GetRequiredService<IOptions<Casework.CaseworkOptions>>().Value.DefaultProcessingDays;
        var residents = await db.Residents.Include(r => r.Household).Where(r => r.IdentityProvider == DemoIdp.ProviderName).OrderBy(r => r.Subject).ToListAsync(ct);
        var staff = await db.StaffMembers.AsNoTracking().Where(s => s.Active).OrderBy(s => s.LoginId).ToListAsync(ct);
        var procedures = catalog.FormsByProcedure.Keys.Where(code => catalog.ByCode[code].Any()).Order().ToList();
        if (residents.Count == 0 || procedures.Count == 0) return;

        var random = new Random(2026);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = calendar.Today;
        var notices = new Dictionary<int, int>();
        StaffMember? Member(string department, string role) => staff.FirstOrDefault(s => s.Departments.Contains(department) && s.Roles.Contains(role));
        DateTime At(DateOnly day) => calendar.ToUtc(day, new TimeOnly(9, 0).AddMinutes(random.Next(0, 8 * 60)));

        var count = 0;
        void Add(DateOnly day, string code, double online, int? openStage)
        {
            var entries = catalog.ByCode[code].ToList();
            var entry = entries[random.Next(entries.Count)];
            var form = catalog.FormsByProcedure[code];
            var resident = residents[random.Next(residents.Count)];
            var draw = random.NextDouble();
            // Offices are closed on weekends and holidays; the online service is not.
            var channel = draw < online || !calendar.IsOpen(day) ? ApplicationChannel.Online : draw < online + (1 - online) * 0.6 ? ApplicationChannel.Counter : ApplicationChannel.Paper;
            var submitted = At(day) is var time && time < now ? time : now;
            var caseworker = Member(entry.Content.Department, StaffRoles.Caseworker);
            var staffActor = caseworker is null ? Actor : $"staff:{caseworker.Id}";
            var application = new Application
            {
                Reference = Application.NewReference(),
                ResidentId = channel == ApplicationChannel.Paper ? null : resident.Id,
                FormSlug = form.Slug,
                FormVersion = form.Version,
                ProcedureSlug = entry.Slug,
                ProcedureCode = code,
                Department = entry.Content.Department,
                Office = entry.Content.Office,
                Channel = channel,
                Data = Prefill.From(form.Definition, resident, null).Data.ToJsonString(),
                CreatedAt = submitted,
                SubmittedAt = submitted,
                DueOn = calendar.AddOpenDays(day, entry.Content.ProcessingDays ?? defaultDays),
            };
            var at = submitted;
            void Move(string status, string actor, double days)
            {
                at = at.AddHours(days * 24 * (0.5 + random.NextDouble()));
                if (at > now) at = now;
                application.Status = status;
                application.UpdatedAt = at;
                application.Events.Add(new ApplicationEvent { ApplicationId = application.Id, At = at, Status = status, Actor = actor });
            }
            Move(ApplicationStatus.Received, channel == ApplicationChannel.Online ? Filing.ResidentActor : staffActor, 0);
            if (openStage is { } stage)
            {
                // Still open: waiting, being reviewed, back with the resident, or on the approval route.
                if (stage >= 1) Move(ApplicationStatus.InReview, staffActor, 0.5);
                if (stage == 2)
                {
                    application.ReturnNote = "添付の書類が読み取れません。もう一度添付してください。";
                    Move(ApplicationStatus.Returned, staffActor, 0.5);
                }
                if (stage == 3)
                {
                    Move(ApplicationStatus.DecisionProposed, staffActor, 0.5);
                    db.Decisions.Add(Decide(application, entry, DecisionOutcome.Approve, caseworker, routes, Member, ref at, now, random, pendingFrom: 2));
                }
                application.AssignedTo = stage >= 1 ? caseworker?.Id : null;
            }
            else if (random.NextDouble() < 0.03)
            {
                Move(ApplicationStatus.Withdrawn, channel == ApplicationChannel.Paper ? staffActor : Filing.ResidentActor, 1);
            }
            else
            {
                Move(ApplicationStatus.InReview, staffActor, 1.5);
                // Before the city went electronic (about five months ago), some decisions were still signed on paper.
                var electronic = today.DayNumber - day.DayNumber < 150 || random.NextDouble() < 0.7;
                var outcome = random.NextDouble() < 0.95 ? DecisionOutcome.Approve : DecisionOutcome.Reject;
                var decided = outcome == DecisionOutcome.Approve ? ApplicationStatus.Approved : ApplicationStatus.Rejected;
                if (electronic)
                {
                    Move(ApplicationStatus.DecisionProposed, staffActor, 3);
                    var decision = Decide(application, entry, outcome, caseworker, routes, Member, ref at, now, random);
                    Move(decided, staffActor, 0);
                    var year = calendar.ToLocal(at).Year;
                    notices[year] = notices.GetValueOrDefault(year) + 1;
                    decision.DecidedAt = at;
                    decision.NoticeNumber = NoticeNumbers.Format(routes, year, notices[year]);
                    db.Decisions.Add(decision);
                }
                else
                {
                    Move(decided, staffActor, 6);
                }
                Move(ApplicationStatus.Completed, staffActor, 1);
            }
            db.Applications.Add(application);
            count++;
        }

        // The past year, decided: about 40 cases a month, online growing from about a third to about three quarters.
        var first = today.AddDays(-364);
        for (var day = first; day < today.AddDays(-21); day = day.AddDays(1))
        {
            if (!calendar.IsOpen(day)) continue;
            for (var n = random.Next(0, 5); n > 0; n--)
            {
                Add(day, procedures[random.Next(procedures.Count)], 0.3 + 0.45 * (day.DayNumber - first.DayNumber) / 364.0, null);
            }
        }
        // Today's workload: every procedure has a case at each open stage, arrived within its processing period; for every
        // other procedure the waiting case arrived two open days before that and is overdue.
        DateOnly OpenDaysAgo(int days)
        {
            var day = today;
            while (days > 0 || !calendar.IsOpen(day))
            {
                day = day.AddDays(-1);
                if (calendar.IsOpen(day)) days--;
            }
            return day;
        }
        foreach (var (code, i) in procedures.Select((code, i) => (code, i)))
        {
            var days = catalog.ByCode[code].First().Content.ProcessingDays ?? defaultDays;
            for (var stage = 0; stage < 4; stage++)
            {
                Add(stage == 0 && i % 2 == 0 ? OpenDaysAgo(days + 2) : today.AddDays(-random.Next(0, Math.Max(1, days))), code, 0.75, stage);
            }
        }
        foreach (var (year, last) in notices) db.Add(new NoticeSequence { Year = year, Last = last });
        await SeedTicketsAsync(db, calendar, random, ct);
        db.Audit(clock, Actor, "demo.history", "applications", new { count });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A decision along the procedure's route, every step approved up to <paramref name="pendingFrom"/> (the first step still open).</summary>
    private static Decision Decide(
        Application application, CatalogEntry entry, string outcome, StaffMember? proposer, ApprovalOptions routes,
        Func<string, string, StaffMember?> member, ref DateTime at, DateTime now, Random random, int pendingFrom = int.MaxValue)
    {
        var route = routes.RouteFor(application.ProcedureCode);
        var text = outcome == DecisionOutcome.Approve ? $"{entry.Content.Name.Ja}について、申請のとおり決定する。" : $"{entry.Content.Name.Ja}について、要件を満たさないため却下する。";
        var decision = new Decision
        {
            ApplicationId = application.Id,
            Outcome = outcome,
            Text = text,
            Route = route.Name,
            ProposedBy = proposer?.Id ?? Guid.Empty,
            ProposedAt = at,
            DocumentHash = Decision.HashOf(application, outcome, null, text),
            Status = pendingFrom == int.MaxValue ? DecisionStatus.Approved : DecisionStatus.Pending,
        };
        var ended = false;
        foreach (var template in route.Steps.OrderBy(s => s.Order))
        {
            var department = template.Department ?? application.Department;
            var step = new ApprovalStep
            {
                DecisionId = decision.Id, Order = template.Order, Label = template.Label, Role = template.Role, Department = department,
                SubstituteRole = template.SubstituteRole, DelegatedWhen = template.DelegatedWhen, DelegatedUpToYen = template.DelegatedUpToYen,
            };
            decision.Steps.Add(step);
            if (ended)
            {
                step.Status = StepStatus.Skipped;
                continue;
            }
            // Still on its route: the first step that could end it by delegated authority (専決) has not decided yet either.
            if (template.Order >= pendingFrom || (pendingFrom != int.MaxValue && Approvals.Approvals.Delegates(step, decision, application)))
            {
                pendingFrom = Math.Min(pendingFrom, template.Order);
                continue;
            }
            var approver = member(department, template.Role);
            at = at.AddHours(4 + random.Next(0, 40)) is var next && next < now ? next : now;
            step.Status = StepStatus.Approved;
            step.DecidedBy = approver?.Id;
            step.DecidedByName = approver?.Name;
            step.DecidedAt = at;
            step.DocumentHash = decision.DocumentHash;
            ended = step.Delegated = Approvals.Approvals.Delegates(step, decision, application);
        }
        return decision;
    }

    /// <summary>Four weeks of served tickets at the first office with counters, so the dashboard has waiting times.</summary>
    private static async Task SeedTicketsAsync(AppDb db, CityCalendar calendar, Random random, CancellationToken ct)
    {
        var services = await db.CounterServices.AsNoTracking().OrderBy(s => s.OfficeId).ThenBy(s => s.Id).ToListAsync(ct);
        if (services.Count == 0) return;
        var office = services[0].OfficeId;
        var offered = services.Where(s => s.OfficeId == office).ToList();
        for (var day = calendar.Today.AddDays(-28); day < calendar.Today; day = day.AddDays(1))
        {
            if (!calendar.IsOpen(day)) continue;
            foreach (var service in offered)
            {
                for (var number = 1; number <= 10; number++)
                {
                    var created = calendar.ToUtc(day, new TimeOnly(9, 0).AddMinutes(number * 40 + random.Next(0, 30)));
                    var called = created.AddMinutes(3 + random.Next(0, 25));
                    db.Tickets.Add(new Ticket
                    {
                        OfficeId = office, ServiceId = service.Id, Day = day, Prefix = service.Prefix, Number = number, Status = TicketStatus.Done,
                        Channel = number % 3 == 0 ? TicketChannel.Remote : TicketChannel.Kiosk, Token = Queue.NewToken(),
                        CreatedAt = created, CalledAt = called, ServingAt = called.AddMinutes(1), DoneAt = called.AddMinutes(6 + random.Next(0, 10)), Calls = 1,
                    });
                }
            }
        }
    }
}
