using System.Net;
using Madoguchi.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
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
}
