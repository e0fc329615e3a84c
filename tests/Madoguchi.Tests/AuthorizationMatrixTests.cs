using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Madoguchi.Tests;

/// <summary>
/// Every route that takes a value in its path is tried by callers who must not get in: no 2xx is allowed.
/// A new object route is covered the day it is added; a route that is public by design must be listed here.
/// </summary>
public sealed class AuthorizationMatrixTests(SqliteApp app) : AppTests<SqliteApp>(app)
{
    private static readonly HashSet<string> PublicByDesign =
    [
        "/error/{code:int}",
        "/lang/{code}",
        "/api/{documentName}/openapi.json",
        // The catalogue and the life-event guide are public information.
        "/procedures/{slug}",
        "/guide/{id}",
        "/guide/{id}/plan",
        "/guide/{id}/plan.ics",
        "/api/v1/procedures/{slug}",
        "/api/v1/procedures/{slug}/deadline",
        "/api/v1/life-events/{id}",
        "/api/v1/life-events/{id}/plan",
        // Office queues are public; tickets and appointments are reached only by their unguessable token (a capability).
        "/counters/{office}",
        "/counters/{office}/board",
        "/counters/{office}/board/events",
        "/counters/{office}/kiosk",
        "/counters/{office}/book",
        "/api/v1/offices/{office}/board",
        "/api/v1/offices/{office}/waits",
        "/api/v1/offices/{office}/stats",
        "/api/v1/offices/{office}/tickets",
        "/tickets/{token}",
        "/api/v1/tickets/{token}",
        "/appointments/{token}",
        "/appointments/{token}.ics",
        // Forms and the apply page describe a procedure; starting needs a sign-in.
        "/apply/{slug}",
        "/api/v1/forms/{slug}",
        // The local payment provider (demo only): its API needs its key, its card page is reached by an unguessable id.
        "/local-pay/pay/{id}",
        "/local-pay/v1/payments/{id}",
        "/local-pay/v1/payments/{id}/refunds",
    ];

    private IReadOnlyList<string> ObjectRoutes() =>
    [
        .. App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Count > 0)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => !PublicByDesign.Contains(p))
            .Distinct()
            .Order(StringComparer.Ordinal),
    ];

    private static string Fill(string pattern) => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", m =>
        m.Value.Contains(":int", StringComparison.Ordinal) ? "1" : Guid.CreateVersion7().ToString());

    [Fact]
    public void The_matrix_sees_the_object_routes_that_exist()
    {
        Assert.Contains("/staff/residents/{id:guid}", ObjectRoutes());
    }

    [Fact]
    public async Task No_object_route_answers_2xx_to_an_anonymous_caller_or_a_signed_in_resident()
    {
        using var anonymous = App.Browser();
        using var resident = await SignInWithDemoProviderAsync("single-adult");
        var failures = new List<string>();
        foreach (var route in ObjectRoutes())
        {
            var url = Fill(route);
            foreach (var (who, browser) in new[] { ("anonymous", anonymous), ("resident", resident) })
            {
                foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
                {
                    using var response = await browser.Http.SendAsync(new HttpRequestMessage(method, url), Ct);
                    if ((int)response.StatusCode is >= 200 and < 300)
                    {
                        failures.Add($"{who} {method} {url} → {(int)response.StatusCode}");
                    }
                }
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Staff_without_the_right_role_get_no_2xx_on_resident_records()
    {
        using var admin = await SignInStaffAsync(App, "admin");
        using var response = await admin.Http.GetAsync(Fill("/staff/residents/{id:guid}"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/staff/denied", response.Headers.Location!.AbsolutePath);
    }

    /// <summary>How to reach each route that takes an application id, for a real application and its file. A new such route must be added here.</summary>
    private static readonly Dictionary<string, Func<(Guid Id, Guid File, Guid Bundle), (HttpMethod Method, string Url)>> ApplicationRoutes = new()
    {
        ["/applications/{id:guid}/edit/{step?}"] = o => (HttpMethod.Get, $"/applications/{o.Id}/edit"),
        ["/applications/{id:guid}/check"] = o => (HttpMethod.Get, $"/applications/{o.Id}/check"),
        ["/applications/{id:guid}/{handler?}/{file:guid?}"] = o => (HttpMethod.Get, $"/applications/{o.Id}/file/{o.File}"),
        ["/applications/bundle/{id:guid?}"] = o => (HttpMethod.Get, $"/applications/bundle/{o.Bundle}"),
        ["/api/v1/applications/{id:guid}"] = o => (HttpMethod.Get, $"/api/v1/applications/{o.Id}"),
        // A draft owes nothing yet: its owner is told so (409), which is not what a missing id gets.
        ["/api/v1/applications/{id:guid}/payment"] = o => (HttpMethod.Post, $"/api/v1/applications/{o.Id}/payment"),
    };

    [Fact]
    public async Task Every_application_route_answers_its_owner_and_looks_missing_to_everyone_else()
    {
        var routes = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p.Contains("applications/", StringComparison.Ordinal) && p.Contains("{id", StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.NotEmpty(routes);
        Assert.All(routes, r => Assert.True(ApplicationRoutes.ContainsKey(r), $"{r} is not in the matrix"));

        // The owner's draft with a file attached.
        using var owner = await SignInWithDemoProviderAsync("expecting-couple");
        var apply = await owner.GetAsync("/apply/ninshin-todoke-kita");
        var draft = await owner.SubmitAsync(apply, "main form");
        var id = Guid.Parse(draft.Url.AbsolutePath.Split('/')[2]);
        var file = Guid.CreateVersion7();
        var bundle = Guid.CreateVersion7();
        await using (var scope = App.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Madoguchi.Web.Platform.Data.AppDb>();
            await db.Applications.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.BundleId, bundle), Ct);
            db.Attachments.Add(new Madoguchi.Web.Features.Applications.AttachedFile
            {
                Id = file, ApplicationId = id, FieldKey = "x", FileName = "a.pdf", ContentType = "application/pdf", Size = 5, Sha256 = "", Content = "%PDF-"u8.ToArray(), CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }
        using var ownerApi = App.Api();
        ownerApi.DefaultRequestHeaders.Authorization = new("Bearer", await DemoApiTests<SqliteApp>.TokenAsync(ownerApi, new { persona = "expecting-couple" }));
        using var otherResident = await SignInWithDemoProviderAsync("single-adult");
        using var otherApi = App.Api();
        otherApi.DefaultRequestHeaders.Authorization = new("Bearer", await DemoApiTests<SqliteApp>.TokenAsync(otherApi, new { persona = "single-adult" }));
        var staff = await StaffSessionAsync("caseworker");
        using var staffApi = App.Api();
        staffApi.DefaultRequestHeaders.Authorization = new("Bearer", await DemoApiTests<SqliteApp>.TokenAsync(staffApi, new { staff = "caseworker" }));
        using var anonymous = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = App.BaseAddress };

        var failures = new List<string>();
        foreach (var (route, fill) in ApplicationRoutes)
        {
            var (ownMethod, url) = fill((id, file, bundle));
            var api = route.StartsWith("/api/", StringComparison.Ordinal);
            using (var mine = await (api ? ownerApi : owner.Http).SendAsync(new HttpRequestMessage(ownMethod, url), Ct))
            {
                if (!mine.IsSuccessStatusCode && mine.StatusCode != HttpStatusCode.Conflict) failures.Add($"owner {ownMethod} {url} → {(int)mine.StatusCode}");
            }
            foreach (var (who, client) in new[] { ("resident", api ? otherApi : otherResident.Http), ("staff", api ? staffApi : staff.Http), ("anonymous", anonymous) })
            {
                foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
                {
                    using var response = await client.SendAsync(new HttpRequestMessage(method, url), Ct);
                    var code = (int)response.StatusCode;
                    // Another resident must see exactly what a missing id shows; staff and anonymous callers are turned away.
                    var ok = who == "resident" && method == ownMethod ? code == 404 : code is < 200 or >= 300;
                    if (!ok) failures.Add($"{who} {method} {url} → {code}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>How to reach each back-office route that takes a case or approval step id. A new such route must be added here.</summary>
    private static readonly Dictionary<string, Func<(Guid Id, Guid File, Guid Step), (HttpMethod Method, string Url, object? Body)>> CaseRoutes = new()
    {
        ["/staff/cases/{id:guid}/{handler?}/{file:guid?}"] = o => (HttpMethod.Get, $"/staff/cases/{o.Id}/file/{o.File}", null),
        ["/api/v1/staff/cases/{id:guid}"] = o => (HttpMethod.Get, $"/api/v1/staff/cases/{o.Id}", null),
        ["/api/v1/staff/cases/{id:guid}/transitions"] = o => (HttpMethod.Post, $"/api/v1/staff/cases/{o.Id}/transitions", new { to = "in-review" }),
        ["/api/v1/staff/approvals/{stepId:guid}/decision"] = o => (HttpMethod.Post, $"/api/v1/staff/approvals/{o.Step}/decision", new { decision = "sendBack", comment = "x" }),
    };

    [Fact]
    public async Task Every_case_route_answers_its_department_and_looks_missing_to_other_departments_residents_and_strangers()
    {
        var routes = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => (p.Contains("cases/", StringComparison.Ordinal) || p.Contains("approvals/", StringComparison.Ordinal)) && p.Contains('{', StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.Equal(CaseRoutes.Keys.Order(StringComparer.Ordinal), routes.Order(StringComparer.Ordinal));

        // A children's case (子ども・家庭課) on its approval route, with a file.
        async Task<HttpClient> ApiAsync(object who)
        {
            var client = App.Api();
            client.DefaultRequestHeaders.Authorization = new("Bearer", await DemoApiTests<SqliteApp>.TokenAsync(client, who));
            return client;
        }
        using var residentApi = await ApiAsync(new { persona = "newborn-parent" });
        using var filed = await residentApi.PostAsJsonAsync("/api/v1/applications", new { form = "kodomo-iryo", data = new { insurance = "kokuho" } }, Ct);
        var id = JsonDocument.Parse(await filed.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetGuid();
        using var caseworkerApi = await ApiAsync(new { staff = "caseworker" });
        await caseworkerApi.PostAsJsonAsync($"/api/v1/staff/cases/{id}/transitions", new { to = "in-review" }, Ct);
        using var proposed = await caseworkerApi.PostAsJsonAsync($"/api/v1/staff/cases/{id}/transitions", new { to = "decision-proposed", outcome = "approve", comment = "認定" }, Ct);
        var step = JsonDocument.Parse(await proposed.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("decision").GetProperty("steps")[0].GetProperty("id").GetGuid();
        var file = Guid.CreateVersion7();
        await using (var scope = App.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Madoguchi.Web.Platform.Data.AppDb>();
            db.Attachments.Add(new Madoguchi.Web.Features.Applications.AttachedFile
            {
                Id = file, ApplicationId = id, FieldKey = "insurance_card", FileName = "card.pdf", ContentType = "application/pdf", Size = 5, Sha256 = "", Content = "%PDF-"u8.ToArray(), CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }

        var department = (await StaffSessionAsync("caseworker")).Http;
        var otherDepartment = (await StaffSessionAsync("center")).Http;
        using var otherApi = await ApiAsync(new { staff = "center" });
        using var resident = await SignInWithDemoProviderAsync("newborn-parent");
        using var anonymous = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = App.BaseAddress };
        var failures = new List<string>();
        foreach (var (route, fill) in CaseRoutes)
        {
            var (method, url, body) = fill((id, file, step));
            var api = route.StartsWith("/api/", StringComparison.Ordinal);
            if (method == HttpMethod.Get)
            {
                using var ours = await (api ? caseworkerApi : department).GetAsync(url, Ct);
                if (!ours.IsSuccessStatusCode) failures.Add($"department GET {url} → {(int)ours.StatusCode}");
            }
            foreach (var (who, client) in new[] { ("other department", api ? otherApi : otherDepartment), ("resident", api ? residentApi : resident.Http), ("anonymous", anonymous) })
            {
                using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
                using var response = await client.SendAsync(request, Ct);
                var code = (int)response.StatusCode;
                // Another department sees exactly what a missing id shows.
                var ok = who == "other department" ? code == 404 : code is < 200 or >= 300;
                if (!ok) failures.Add($"{who} {method} {url} → {code}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal("pending", await WithDb(db => db.ApprovalSteps.Where(s => s.Id == step).Select(s => s.Status).SingleAsync()));
    }
}
