using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Madoguchi.Web.Features.Payments.LocalProvider;
using Madoguchi.Web.Platform;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Payments;

public static class PaymentsSetup
{
    /// <summary>An unpaid intent lapses after this (GOV.UK Pay: 90 minutes); the application goes back to draft.</summary>
    public static readonly TimeSpan IntentLifetime = TimeSpan.FromMinutes(90);

    /// <summary>
    /// An intent the provider has said nothing about for this long is asked after by us, and again as often while it
    /// stays open: a resident who paid and closed the tab is received even when the webhooks are slow or lost.
    /// </summary>
    public static readonly TimeSpan CheckAfterSilence = TimeSpan.FromMinutes(10);

    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        var demo = DemoMode.IsEnabled(builder);
        builder.Services.Configure<PaymentsOptions>(builder.Configuration.GetSection("Payments"));
        builder.Services.Configure<LocalProviderOptions>(builder.Configuration.GetSection("Payments:Local"));
        if (demo)
        {
            // The built-in provider and its client share demo keys unless configured; a real provider's keys come from configuration.
            builder.Services.PostConfigure<PaymentsOptions>(o =>
            {
                o.ApiKey = o.ApiKey.Length > 0 ? o.ApiKey : LocalBank.DemoApiKey;
                o.WebhookSecret = o.WebhookSecret.Length > 0 ? o.WebhookSecret : LocalBank.DemoWebhookSecret;
            });
            builder.Services.PostConfigure<LocalProviderOptions>(o =>
            {
                o.ApiKey = o.ApiKey.Length > 0 ? o.ApiKey : LocalBank.DemoApiKey;
                o.WebhookSecret = o.WebhookSecret.Length > 0 ? o.WebhookSecret : LocalBank.DemoWebhookSecret;
            });
            builder.Services.AddSingleton<LocalProviderFaults>();
            builder.Services.AddHostedService<LocalProviderDispatcher>();
            builder.Services.AddHttpClient(LocalProviderDispatcher.Client, c => c.Timeout = TimeSpan.FromSeconds(10));
        }
        builder.Services.AddHttpClient(PaymentGateway.Client, c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddScoped<PaymentGateway>();
        builder.Services.AddHostedService<PaymentSweeper>();
        return builder;
    }

    public static WebApplication MapPayments(this WebApplication app)
    {
        app.MapPost("/api/v1/payments/webhooks/local", ReceiveAsync).AllowAnonymous().DisableAntiforgery().WithTags("Payments")
            .Produces(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        if (app.Services.GetRequiredService<DemoMode>().Enabled)
        {
            app.MapLocalProvider();
        }
        return app;
    }

    /// <summary>
    /// The provider's webhook: the signature is checked over the exact bytes received, the event is applied once
    /// (its id is stored with the change), and the answer is quick so the provider does not retry needlessly.
    /// </summary>
    private static async Task<IResult> ReceiveAsync(HttpContext http, PaymentGateway gateway, AppDb db, TimeProvider clock, IOptions<PaymentsOptions> options, CancellationToken ct)
    {
        if (http.Request.ContentLength is > 65_536)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > 65_536)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        var body = buffer.ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.WebhookSecret), body));
        var given = http.Request.Headers["Pay-Signature"].ToString();
        if (options.Value.WebhookSecret.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given.ToLowerInvariant())))
        {
            return TypedResults.Unauthorized();
        }
        JsonObject? message;
        try
        {
            message = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            message = null;
        }
        var id = message?["webhook_message_id"]?.GetValue<string>();
        if (message?["resource"] is not JsonObject resource || id is not { Length: > 0 and <= 100 })
        {
            return TypedResults.BadRequest();
        }
        if (await db.WebhookReceipts.AnyAsync(r => r.EventId == id, ct))
        {
            return TypedResults.Ok();
        }
        var receipt = new WebhookReceipt { EventId = id, Type = message["event_type"]?.GetValue<string>() ?? "", ReceivedAt = clock.GetUtcNow().UtcDateTime };
        try
        {
            // Not known yet (our side has not stored the provider's id): a 409 makes the provider try again later.
            return await gateway.ApplyAsync(resource, receipt, ct) ? TypedResults.Ok() : TypedResults.Conflict();
        }
        catch (DbUpdateException)
        {
            // A duplicate delivered in parallel won the race, or the payment moved meanwhile: the provider retries.
            return TypedResults.Conflict();
        }
    }
}

/// <summary>
/// Asks the provider about intents it has been silent on (see <see cref="PaymentsSetup.CheckAfterSilence"/>) and those
/// past their expiry: paid ones are applied; expired ones lapse and their applications go back to draft.
/// </summary>
public sealed class PaymentSweeper(IServiceScopeFactory scopes, TimeProvider clock, IOptions<PaymentsOptions> options, ILogger<PaymentSweeper> log) : PeriodicService(log)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(0.1, options.Value.SweepSeconds));

    public override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var gateway = scope.ServiceProvider.GetRequiredService<PaymentGateway>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Payments.Where(p => (p.Status == PaymentStatus.Created || p.Status == PaymentStatus.Started) && (p.ExpiresAt < now || p.NextCheckAt <= now))
            .OrderBy(p => p.NextCheckAt).Take(50).ToListAsync(ct);
        foreach (var payment in due)
        {
            await gateway.RefreshAsync(payment, ct);
            if (PaymentStatus.Final(payment.Status) || db.Entry(payment).State == EntityState.Detached)
            {
                continue;
            }
            if (payment.ExpiresAt < now && (payment.ProviderPaymentId is null || payment.ExpiresAt.AddMinutes(10) < now))
            {
                await gateway.ExpireAsync(payment, ct);
                continue;
            }
            payment.NextCheckAt = now.Add(PaymentsSetup.CheckAfterSilence);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A webhook moved it meanwhile; the next sweep sees where it stands.
                db.ChangeTracker.Clear();
            }
        }
    }
}
