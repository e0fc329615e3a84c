using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Madoguchi.Web.Features.Payments.LocalProvider;

public sealed class LocalProviderOptions
{
    /// <summary>The API key Madoguchi's client presents; demo mode uses a fixed demo value when none is configured.</summary>
    public string ApiKey { get; set; } = "";
    /// <summary>The key the provider signs webhooks with (HMAC-SHA256 of the body, hex, in Pay-Signature).</summary>
    public string WebhookSecret { get; set; } = "";
    /// <summary>Where webhooks go; empty means the origin that created the payment + /api/v1/payments/webhooks/local.</summary>
    public string WebhookUrl { get; set; } = "";
    /// <summary>Deliver every webhook a second time, a little later, as real providers sometimes do.</summary>
    public bool DuplicateWebhooks { get; set; } = true;
    public double ExpiryMinutes { get; set; } = 90;
    public double DispatchSeconds { get; set; } = 0.5;
    public int MaxAttempts { get; set; } = 12;
}

/// <summary>
/// Failures the stand-in shows when told to, as a provider's sandbox does, so that Madoguchi's handling of them is
/// exercised against the same HTTP it meets in production: the API refusing, an answer lost after the payment was
/// made, webhooks held back.
/// </summary>
public sealed class LocalProviderFaults
{
    private int refuseCreates;
    private int loseCreateAnswers;

    /// <summary>The next <paramref name="count"/> payment creations are answered 503 and nothing is made.</summary>
    public void RefuseCreates(int count) => Volatile.Write(ref refuseCreates, count);

    /// <summary>The next <paramref name="count"/> payment creations are made, then the connection is dropped before the answer.</summary>
    public void LoseCreateAnswers(int count) => Volatile.Write(ref loseCreateAnswers, count);

    /// <summary>No webhook goes out while set; they wait, and go out (late, in no set order) once it is cleared.</summary>
    public bool HoldWebhooks { get; set; }

    internal bool TakeRefusal() => Take(ref refuseCreates);

    internal bool TakeLostAnswer() => Take(ref loseCreateAnswers);

    private static bool Take(ref int counter)
    {
        for (var seen = Volatile.Read(ref counter); seen > 0; seen = Volatile.Read(ref counter))
        {
            if (Interlocked.CompareExchange(ref counter, seen - 1, seen) == seen)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>The test cards of the hosted page.</summary>
public static class TestCards
{
    public const string Success = "4242424242424242";
    public const string Decline = "4000000000000002";
    /// <summary>Asks for a one-time code (3-D Secure); <see cref="ChallengeCode"/> passes, anything else fails.</summary>
    public const string Challenge = "4000000000003220";
    public const string ChallengeCode = "123456";
}

/// <summary>What the provider does: create, authorise with a test card, expire, refund, and record webhook messages.</summary>
public static class LocalBank
{
    public const string DemoApiKey = "localpay-demo-api-key";
    public const string DemoWebhookSecret = "localpay-demo-webhook-secret";

    public static JsonObject Resource(LocalProviderPayment p, string baseUrl) => new()
    {
        ["payment_id"] = p.Id,
        ["amount"] = p.Amount,
        ["reference"] = p.Reference,
        ["description"] = p.Description,
        ["return_url"] = p.ReturnUrl,
        ["created_date"] = p.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        ["state"] = new JsonObject
        {
            ["status"] = p.Status,
            ["finished"] = p.Status is "success" or "failed",
            ["code"] = p.FailureCode,
        },
        ["refund_summary"] = new JsonObject { ["amount_refunded"] = p.Refunded, ["amount_available"] = p.Status == "success" ? p.Amount - p.Refunded : 0 },
        ["card_details"] = p.CardLast4 is null ? null : new JsonObject { ["last_digits_card_number"] = p.CardLast4 },
        ["_links"] = new JsonObject
        {
            ["self"] = new JsonObject { ["href"] = $"{baseUrl}/local-pay/v1/payments/{p.Id}", ["method"] = "GET" },
            ["next_url"] = p.Status is "created" or "started" ? new JsonObject { ["href"] = $"{baseUrl}/local-pay/pay/{p.Id}", ["method"] = "GET" } : null,
        },
    };

    /// <summary>Stores a webhook message about the payment as it is now; the dispatcher delivers it.</summary>
    public static void Record(AppDb db, DateTime now, LocalProviderPayment p, string type, int amount = 0, string? id = null)
    {
        id ??= "ev_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var body = new JsonObject
        {
            ["webhook_message_id"] = id,
            ["created_date"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["resource_id"] = p.Id,
            ["api_version"] = 1,
            ["resource_type"] = "payment",
            ["event_type"] = type,
            ["resource"] = Resource(p, ""),
        };
        db.LocalProviderEvents.Add(new LocalProviderEvent
        {
            Id = id, PaymentId = p.Id, Type = type, Body = body.ToJsonString(), WebhookUrl = p.WebhookUrl, CreatedAt = now, NextAttemptAt = now, Amount = amount,
        });
    }

    /// <summary>Authorises a card: the result follows the test card, as on a real provider's test environment.</summary>
    public static string Pay(AppDb db, DateTime now, LocalProviderPayment p, string card, string? code = null)
    {
        var digits = new string(card.Where(char.IsAsciiDigit).ToArray());
        p.CardLast4 = digits.Length >= 4 ? digits[^4..] : null;
        if (digits == TestCards.Challenge && code is null)
        {
            p.Status = "started";
            return "challenge";
        }
        if (digits == TestCards.Success || (digits == TestCards.Challenge && code == TestCards.ChallengeCode))
        {
            p.Status = "success";
            p.SettledAt = now;
            Record(db, now, p, "card_payment_succeeded", p.Amount);
            return "success";
        }
        p.Status = "failed";
        p.FailureCode = "P0010";
        Record(db, now, p, "card_payment_failed");
        return "failed";
    }

    public static string Sign(string secret, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

public static class LocalProviderEndpoints
{
    public static void MapLocalProvider(this WebApplication app)
    {
        var api = app.MapGroup("/local-pay/v1").ExcludeFromDescription().AllowAnonymous().DisableAntiforgery();
        api.MapPost("/payments", CreateAsync);
        api.MapGet("/payments/{id}", GetAsync);
        api.MapPost("/payments/{id}/refunds", RefundAsync);
        api.MapGet("/ledger", LedgerAsync);
        api.MapGet("/events", EventsAsync);
    }

    private static bool Authorized(HttpContext http, LocalProviderOptions o) =>
        http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..]), Encoding.UTF8.GetBytes(o.ApiKey));

    private static IResult Error(int status, string code, string description) =>
        Results.Json(new { code, description }, statusCode: status);

    private static string Origin(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";

    public sealed record CreateRequest(int Amount, string? Reference, string? Description, string? Return_url);

    private static async Task<IResult> CreateAsync(HttpContext http, AppDb db, TimeProvider clock, IOptions<LocalProviderOptions> options, LocalProviderFaults faults, CancellationToken ct)
    {
        var o = options.Value;
        if (!Authorized(http, o)) return Error(401, "P0900", "Invalid API key");
        if (faults.TakeRefusal()) return Error(503, "P0999", "Service unavailable");
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length is 0 or > 100) return Error(400, "P0191", "Idempotency-Key header is required");
        using var reader = new StreamReader(http.Request.Body);
        var raw = await reader.ReadToEndAsync(ct);
        CreateRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<CreateRequest>(raw, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            request = null;
        }
        if (request is null || request.Amount is < 1 or > 10_000_000 || string.IsNullOrWhiteSpace(request.Reference) || request.Reference.Length > 40
            || string.IsNullOrWhiteSpace(request.Description) || request.Description.Length > 200
            || !Uri.TryCreate(request.Return_url, UriKind.Absolute, out var returnUrl) || returnUrl.Scheme is not ("http" or "https"))
        {
            return Error(422, "P0102", "amount, reference, description and return_url are required");
        }
        var hash = LocalBank.Hash(JsonSerializer.Serialize(request));
        var existing = await db.LocalProviderPayments.AsNoTracking().SingleOrDefaultAsync(p => p.IdempotencyKey == key, ct);
        if (existing is not null)
        {
            return existing.RequestHash == hash
                ? Results.Json(LocalBank.Resource(existing, Origin(http)), statusCode: 201)
                : Error(409, "P0192", "Idempotency-Key was used with a different request");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var payment = new LocalProviderPayment
        {
            Id = "lp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            IdempotencyKey = key,
            RequestHash = hash,
            Amount = request.Amount,
            Reference = request.Reference,
            Description = request.Description,
            ReturnUrl = returnUrl.ToString(),
            WebhookUrl = o.WebhookUrl.Length > 0 ? o.WebhookUrl : $"{Origin(http)}/api/v1/payments/webhooks/local",
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(o.ExpiryMinutes),
        };
        db.LocalProviderPayments.Add(payment);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same key raced in twice: answer with the one that was stored.
            db.ChangeTracker.Clear();
            var winner = await db.LocalProviderPayments.AsNoTracking().SingleAsync(p => p.IdempotencyKey == key, ct);
            return winner.RequestHash == hash ? Results.Json(LocalBank.Resource(winner, Origin(http)), statusCode: 201) : Error(409, "P0192", "Idempotency-Key was used with a different request");
        }
        if (faults.TakeLostAnswer())
        {
            // Made, but the client never hears so: what a timeout after the provider accepted looks like from our side.
            http.Abort();
            return Results.Empty;
        }
        return Results.Json(LocalBank.Resource(payment, Origin(http)), statusCode: 201);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, AppDb db, IOptions<LocalProviderOptions> options, CancellationToken ct)
    {
        if (!Authorized(http, options.Value)) return Error(401, "P0900", "Invalid API key");
        var payment = await db.LocalProviderPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return payment is null ? Error(404, "P0200", "Not found") : Results.Json(LocalBank.Resource(payment, Origin(http)));
    }

    public sealed record RefundRequest(int Amount);

    private static async Task<IResult> RefundAsync(string id, RefundRequest? request, HttpContext http, AppDb db, TimeProvider clock, IOptions<LocalProviderOptions> options, CancellationToken ct)
    {
        if (!Authorized(http, options.Value)) return Error(401, "P0900", "Invalid API key");
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length is 0 or > 100) return Error(400, "P0191", "Idempotency-Key header is required");
        var payment = await db.LocalProviderPayments.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (payment is null) return Error(404, "P0200", "Not found");
        var eventId = "rf_" + LocalBank.Hash(id + key)[..20];
        if (await db.LocalProviderEvents.AnyAsync(e => e.Id == eventId, ct))
        {
            return Results.Json(new { refund_id = eventId, status = "success" }, statusCode: 202);
        }
        if (payment.Status != "success" || request is null || request.Amount < 1 || request.Amount > payment.Amount - payment.Refunded)
        {
            return Error(412, "P0604", "Refund amount available mismatch");
        }
        payment.Refunded += request.Amount;
        LocalBank.Record(db, clock.GetUtcNow().UtcDateTime, payment, "card_payment_refunded", -request.Amount, eventId);
        await db.SaveChangesAsync(ct);
        return Results.Json(new { refund_id = eventId, status = "success" }, statusCode: 202);
    }

    /// <summary>Money that moved, one line per settled payment or refund, as CSV: the provider's side of reconciliation.</summary>
    private static async Task<IResult> LedgerAsync(string? from, string? to, HttpContext http, AppDb db, IOptions<LocalProviderOptions> options, CancellationToken ct)
    {
        if (!Authorized(http, options.Value)) return Error(401, "P0900", "Invalid API key");
        var start = DateTime.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var f) ? f : DateTime.MinValue;
        var end = DateTime.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : DateTime.MaxValue;
        var lines = await db.LocalProviderEvents.AsNoTracking()
            .Where(e => e.Amount != 0 && e.CreatedAt >= start && e.CreatedAt < end)
            .OrderBy(e => e.CreatedAt)
            .Join(db.LocalProviderPayments, e => e.PaymentId, p => p.Id, (e, p) => new { e.Id, e.CreatedAt, e.Type, e.PaymentId, p.Reference, e.Amount })
            .ToListAsync(ct);
        var csv = new StringBuilder("transaction_id,date,type,payment_id,reference,amount\n");
        foreach (var l in lines)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{l.Id},{l.CreatedAt:O},{(l.Amount > 0 ? "payment" : "refund")},{l.PaymentId},{l.Reference},{l.Amount}\n");
        }
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    /// <summary>The webhook messages of a payment and whether they were delivered: what a provider's dashboard shows.</summary>
    private static async Task<IResult> EventsAsync(string? payment, HttpContext http, AppDb db, IOptions<LocalProviderOptions> options, CancellationToken ct)
    {
        if (!Authorized(http, options.Value)) return Error(401, "P0900", "Invalid API key");
        var events = await db.LocalProviderEvents.AsNoTracking().Where(e => e.PaymentId == payment).OrderBy(e => e.CreatedAt)
            .Select(e => new { id = e.Id, type = e.Type, attempts = e.Attempts, delivered = e.DeliveredAt != null, body = e.Body }).ToListAsync(ct);
        return Results.Json(events);
    }
}

/// <summary>Delivers the provider's webhooks (signed, retried with backoff, sometimes twice, in no set order) and expires unpaid payments.</summary>
public sealed class LocalProviderDispatcher(IServiceScopeFactory scopes, IHttpClientFactory http, TimeProvider clock, IOptions<LocalProviderOptions> options, LocalProviderFaults faults, ILogger<LocalProviderDispatcher> log) : Platform.PeriodicService(log)
{
    public const string Client = "localpay-webhooks";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(0.05, options.Value.DispatchSeconds));

    public override async Task RunOnceAsync(CancellationToken ct)
    {
        await ExpireAsync(ct);
        if (!faults.HoldWebhooks)
        {
            await DeliverAsync(ct);
        }
    }

    private async Task ExpireAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.LocalProviderPayments.Where(p => (p.Status == "created" || p.Status == "started") && p.ExpiresAt <= now).Take(50).ToListAsync(ct);
        foreach (var p in due)
        {
            p.Status = "failed";
            p.FailureCode = "P0020";
            LocalBank.Record(db, now, p, "card_payment_expired");
        }
        if (due.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task DeliverAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.LocalProviderEvents.Where(e => e.DeliveredAt == null && e.NextAttemptAt <= now && e.Attempts < o.MaxAttempts)
            .OrderBy(e => e.NextAttemptAt).Take(20).ToListAsync(ct);
        // No promise about order: deliver the batch shuffled.
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(due));
        var client = http.CreateClient(Client);
        foreach (var e in due)
        {
            e.Attempts++;
            bool ok;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, e.WebhookUrl) { Content = new StringContent(e.Body, Encoding.UTF8, "application/json") };
                request.Headers.Add("Pay-Signature", LocalBank.Sign(o.WebhookSecret, e.Body));
                using var response = await client.SendAsync(request, ct);
                ok = response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                ok = false;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                ok = false;
            }
            var later = clock.GetUtcNow().UtcDateTime;
            if (ok && o.DuplicateWebhooks && e.Attempts == 1)
            {
                // At least once means sometimes twice: send it again a moment later.
                e.NextAttemptAt = later.AddMilliseconds(Random.Shared.Next(100, 1500));
            }
            else if (ok)
            {
                e.DeliveredAt = later;
            }
            else
            {
                e.NextAttemptAt = later.AddSeconds(Math.Min(600, Math.Pow(2, e.Attempts)));
            }
        }
        if (due.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }
    }
}
