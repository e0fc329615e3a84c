using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Approvals;
using Madoguchi.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Bench;

/// <summary>
/// The back office with a city's worth of cases stored: the inbox query and the case page through the staff API,
/// at constant rates, p95 against the 200 ms ceiling.
/// </summary>
internal static class CaseBench
{
    private static readonly string[] Departments = ["kodomo", "hoken", "kokuho", "shimin"];
    private static readonly string[] Procedures = ["kodomo-iryo", "ninshin-todoke", "sosaihi", "jumin-hyo"];
    private static readonly string[] Wards = ["chuo", "kita", "minami", "higashi", "nishi", "minato", "midori"];
    private static readonly string[] Channels = [ApplicationChannel.Online, ApplicationChannel.Online, ApplicationChannel.Counter, ApplicationChannel.Paper];
    private static readonly string[] Statuses = [ApplicationStatus.Received, ApplicationStatus.InReview, ApplicationStatus.Completed, ApplicationStatus.Completed, ApplicationStatus.Returned, ApplicationStatus.DecisionProposed];

    public static async Task<int> RunAsync(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "sqlite";
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        const double P95CeilingMs = 200;

        await using var target = await SubmissionBench.TargetAsync(provider);
        var port = Processes.FreePort();
        using var app = SubmissionBench.StartApp(target, port);
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
            var baseUri = new Uri($"http://127.0.0.1:{port}");
            await Processes.WaitReadyAsync(client, new Uri(baseUri, "/readyz"));
            var clock = Stopwatch.StartNew();
            var ids = await SeedAsync(target, count);
            Console.WriteLine($"Seeded {count:N0} cases with their timelines in {clock.Elapsed.TotalSeconds:0} s on {provider}.");

            async Task<string> TokenAsync(string staff)
            {
                using var response = await client.PostAsJsonAsync(new Uri(baseUri, "/api/v1/demo/token"), new { staff });
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return json.RootElement.GetProperty("access_token").GetString()!;
            }
            var (caseworker, manager) = (await TokenAsync("caseworker"), await TokenAsync("kacho"));
            string[] inboxes = ["?status=open", "?due=overdue", "?procedure=kodomo-iryo&status=received", "?status=open&page=20", "?office=minami&channel=online"];
            HttpRequestMessage Get(string path, string? token = null)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? caseworker);
                return request;
            }
            var scenarios = new List<(string Name, Func<int, HttpRequestMessage> Request)>
            {
                ("inbox, mixed", i => Get("/api/v1/staff/cases" + inboxes[i % inboxes.Length])),
                ("case page", i => Get($"/api/v1/staff/cases/{ids[i * 7919 % ids.Count]}")),
            };
            scenarios.AddRange(inboxes.Select(q => ($"inbox {q}", (Func<int, HttpRequestMessage>)(_ => Get("/api/v1/staff/cases" + q)))));
            scenarios.Add(("inbox ?status=awaiting (課長)", _ => Get("/api/v1/staff/cases?status=awaiting", manager)));
            foreach (var (name, request) in scenarios)
            {
                await LoadGenerator.RunAsync(client, "warm-up", request, 20, TimeSpan.FromSeconds(5));
            }
            Console.WriteLine($"Open loop, {seconds:0.#} s per rate; ceiling p95 {P95CeilingMs} ms.");
            Console.WriteLine($"{"scenario",-48} {"rate/s",7} {"achieved/s",11} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"errors",7}  p95 / ceiling");
            foreach (var (name, request) in scenarios)
            {
                foreach (var rate in name.StartsWith("inbox ?", StringComparison.Ordinal) ? [20.0] : new[] { 20.0, 50.0 })
                {
                    var r = await LoadGenerator.RunAsync(client, name, request, rate, TimeSpan.FromSeconds(seconds));
                    Console.WriteLine($"{name,-48} {rate,7:0} {r.AchievedRate,11:0.0} {r.P50,8:0.0} {r.P95,8:0.0} {r.P99,8:0.0} {r.Errors,7}  {r.P95 / P95CeilingMs,13:0.00}");
                }
            }
            return 0;
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Stores the cases straight through EF Core in batches; returns the ids of the caseworker's department's cases.</summary>
    private static async Task<List<Guid>> SeedAsync(SubmissionBench.Target target, int count)
    {
        AppDb Db() => target.Provider == "sqlite"
            ? new SqliteAppDb(new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite(target.ConnectionString).Options)
            : new PostgresAppDb(new DbContextOptionsBuilder<PostgresAppDb>().UseNpgsql(target.ConnectionString).Options);
        var random = new Random(7);
        var ids = new List<Guid>();
        var now = DateTime.UtcNow;
        for (var start = 0; start < count; start += 2000)
        {
            await using var db = Db();
            for (var i = start; i < Math.Min(count, start + 2000); i++)
            {
                var d = random.Next(Departments.Length);
                var submitted = now.AddMinutes(-random.Next(0, 60 * 24 * 365));
                var application = new Application
                {
                    Reference = Application.NewReference(),
                    FormSlug = Procedures[d],
                    FormVersion = 1,
                    ProcedureSlug = $"{Procedures[d]}-{Wards[i % Wards.Length]}",
                    ProcedureCode = Procedures[d],
                    Department = Departments[d],
                    Office = Wards[i % Wards.Length],
                    Channel = Channels[random.Next(Channels.Length)],
                    Status = Statuses[random.Next(Statuses.Length)],
                    Data = """{"insurance":"kokuho","note":"bench"}""",
                    CreatedAt = submitted,
                    UpdatedAt = submitted,
                    SubmittedAt = submitted,
                    DueOn = DateOnly.FromDateTime(submitted.AddDays(random.Next(3, 30))),
                };
                application.Events.Add(new ApplicationEvent { ApplicationId = application.Id, At = submitted, Status = ApplicationStatus.Received, Actor = "resident" });
                db.Applications.Add(application);
                if (application.Department == "kodomo") ids.Add(application.Id);
                if (application.Status == ApplicationStatus.DecisionProposed)
                {
                    // On its route: the 係長 has approved half of them, so those wait for the 課長.
                    var decision = new Decision
                    {
                        ApplicationId = application.Id, Outcome = DecisionOutcome.Approve, Text = "bench", Route = "standard",
                        ProposedBy = Guid.CreateVersion7(), ProposedAt = submitted, DocumentHash = new string('0', 64),
                    };
                    var chiefDone = random.Next(2) == 0;
                    decision.Steps.Add(new ApprovalStep { DecisionId = decision.Id, Order = 1, Label = "係長", Role = "Chief", Department = application.Department, Status = chiefDone ? StepStatus.Approved : StepStatus.Pending });
                    decision.Steps.Add(new ApprovalStep { DecisionId = decision.Id, Order = 2, Label = "課長", Role = "Manager", Department = application.Department });
                    db.Decisions.Add(decision);
                }
            }
            await db.SaveChangesAsync();
        }
        if (target.Provider != "sqlite")
        {
            // A year of cases has been vacuumed and analysed by autovacuum long before; a fresh bulk load has not.
            await using var db = Db();
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE applications");
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE application_events");
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE decisions");
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE approval_steps");
        }
        return ids;
    }
}
