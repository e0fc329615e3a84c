using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Applications;
using Madoguchi.Web.Features.Approvals;
using Madoguchi.Web.Features.Casework;
using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Features.Counters;
using Madoguchi.Web.Features.Forms;
using Madoguchi.Web.Features.Guide;
using Madoguchi.Web.Features.Home;
using Madoguchi.Web.Features.Insights;
using Madoguchi.Web.Features.Payments;
using Madoguchi.Web.Platform;
using Madoguchi.Web.Platform.Mail;
using Madoguchi.Web.Platform.Outbox;
using Madoguchi.Web.Platform.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatform();       // clock, calendar, demo mode, health checks, data protection, problem details
builder.AddDatabase();       // EF Core on SQLite (default) or PostgreSQL
builder.AddOutbox();         // transactional outbox and its dispatcher
builder.AddMail();           // mail through the outbox: SMTP or a pickup folder
builder.AddSecurity();       // headers, rate limits, antiforgery, HSTS
builder.AddUi();             // Razor Pages in feature folders, three languages
builder.AddAccounts();       // residents (OIDC, local accounts), staff (password + TOTP), demo identity provider
builder.AddCatalog();        // procedures, offices, departments, life events, synonyms; in-memory Japanese search
builder.AddGuide();          // life-event questionnaire, plans, saved plans
builder.AddCounters();       // counter services, tickets, appointments, live boards
builder.AddForms();          // versioned form definitions (the demo forms in demo mode)
builder.AddApplications();   // drafts, pre-fill, submission, "my applications", draft expiry
builder.AddPayments();       // payment intents, the provider client and webhook; the local test provider in demo mode
builder.AddCasework();       // back-office inbox per department and for the processing center, assignment, notes
builder.AddApprovals();      // electronic approval routes (決裁), decision notices
builder.AddInsights();       // KPI dashboard, monthly snapshots

var app = builder.Build();

if (await Verbs.RunAsync(app, args) is { } exitCode)   // migrate, seed-demo, verify-audit, backup, add-staff
{
    return exitCode;
}
if (!await app.PrepareToServeAsync())    // required settings, durability; demo mode migrates and seeds, production refuses pending migrations
{
    return 3;
}

app.UseSecurity();
app.UseUi();
app.UseAccounts();

app.MapPlatform();           // /healthz, /readyz, /api/v1/openapi.json
app.MapHome();
app.MapAccounts();           // /api/v1/me, /api/v1/demo/*, /demo-idp/*
app.MapCatalog();            // /api/v1/procedures, /api/v1/staff/catalog/*
app.MapGuide();              // /api/v1/life-events
app.MapCounters();           // /api/v1/offices, /api/v1/tickets, board events
app.MapForms();              // /api/v1/forms/{slug}
app.MapApplications();       // /api/v1/applications, /api/v1/me/applications
app.MapPayments();           // /api/v1/payments/webhooks/local; /local-pay (demo)
app.MapCasework();           // /api/v1/staff/cases, /api/v1/staff/approvals/{step}/decision
app.MapInsights();           // /api/v1/insights/kpis
app.MapRazorPages();

await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
