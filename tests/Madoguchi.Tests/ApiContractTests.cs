using System.Net;
using System.Text.Json;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Platform.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Madoguchi.Tests;

/// <summary>An app with a route that fails the way a bug does, to see what the outside world is shown.</summary>
public sealed class FaultyApp : MadoguchiApp
{
    public FaultyApp() : base(DatabaseProvider.Sqlite) =>
        ConfigureTestServices = services => services.AddSingleton<IStartupFilter>(new ThrowingRoutes());

    private sealed class ThrowingRoutes : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path.Value?.EndsWith("/boom", StringComparison.Ordinal) == true)
                {
                    throw new InvalidOperationException("connection string Password=hunter2 leaked");
                }
                await nextMiddleware(context);
            });
        };
    }
}

public sealed class ApiContractTests(FaultyApp app) : AppTests<FaultyApp>(app)
{
    /// <summary>The public API's routes. Changing them is a contract change: update this list on purpose.</summary>
    private static readonly string[] Contract =
    [
        "GET /api/v1/applications/{id}",
        "GET /api/v1/demo/personas",
        "GET /api/v1/forms/{slug}",
        "GET /api/v1/insights/kpis",
        "GET /api/v1/life-events",
        "GET /api/v1/life-events/{id}",
        "GET /api/v1/me",
        "GET /api/v1/me/applications",
        "GET /api/v1/offices",
        "GET /api/v1/offices/{office}/board",
        "GET /api/v1/offices/{office}/stats",
        "GET /api/v1/offices/{office}/waits",
        "GET /api/v1/procedures",
        "GET /api/v1/procedures/{slug}",
        "GET /api/v1/procedures/{slug}/deadline",
        "GET /api/v1/staff/cases",
        "GET /api/v1/staff/cases/{id}",
        "GET /api/v1/staff/me",
        "GET /api/v1/tickets/{token}",
        "POST /api/v1/demo/token",
        "POST /api/v1/life-events/{id}/plan",
        "POST /api/v1/offices/{office}/tickets",
        "POST /api/v1/applications",
        "POST /api/v1/applications/{id}/payment",
        "POST /api/v1/payments/webhooks/local",
        "POST /api/v1/staff/approvals/{stepId}/decision",
        "POST /api/v1/staff/cases/{id}/transitions",
        "POST /api/v1/staff/catalog/procedures/{slug}/publish",
        "POST /api/v1/staff/counters/{counter}/call-next",
        "PUT /api/v1/staff/catalog/procedures/{slug}",
    ];

    [Fact]
    public async Task The_openapi_document_is_served_and_matches_the_pinned_contract()
    {
        using var client = App.Api();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/api/v1/openapi.json", Ct));
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString());
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(Contract.Order(StringComparer.Ordinal), operations);
    }

    [Fact]
    public async Task A_failing_page_shows_the_localised_500_page_and_no_internals()
    {
        using var browser = App.Browser();
        var page = await browser.GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Contains("エラーが発生しました", page.Document.QuerySelector("h1")!.TextContent);
        Assert.DoesNotContain("hunter2", page.Html);
        Assert.DoesNotContain("InvalidOperationException", page.Html);
    }

    [Fact]
    public async Task A_failing_api_call_answers_problem_details_without_internals()
    {
        using var client = App.Api();
        using var response = await client.GetAsync("/api/v1/boom", Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("InvalidOperationException", body);

        using var missing = await client.GetAsync("/api/v1/no-such-thing", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
    }
}
