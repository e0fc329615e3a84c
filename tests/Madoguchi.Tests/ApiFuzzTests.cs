using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Madoguchi.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Madoguchi.Tests;

/// <summary>
/// API fuzzing from the OpenAPI document (the security reference's S8, Schemathesis-style): every operation is called
/// anonymously, as a resident and as staff, with real ids, random ones and hostile ones in its path and query, and with
/// bodies made from its schema and then broken (wrong types, missing or extra fields, nulls, deep nesting, huge
/// strings, invalid JSON, the wrong media type). No answer may be a server error; every answer's status must be one the
/// document names for the operation; every error with a body is problem details; every success's body must match its
/// documented schema; and the app must log no error at all.
/// </summary>
public abstract class ApiFuzzTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    private const int Seed = 20261124;
    private const int CallsPerOperation = 150;

    private static readonly string[] Hostile =
    [
        "", " ", "0", "-1", "2147483648", "99999999999999999999", "1e309", "NaN", "null", "true", "[]", "{}",
        "00000000-0000-0000-0000-000000000000", "2026-02-30", "9999-12-31", "0001-01-01", "令和8年1月1日",
        "../../etc/passwd", "..%2f..%2f", "'; DROP TABLE applications; --", "\" OR \"1\"=\"1", "<script>alert(1)</script>",
        "${jndi:ldap://x}", "%00", "\r\nSet-Cookie: x=1", "𠮷野家", "ｶﾀｶﾅ", "\u202Eevil", new string('あ', 3000), new string('9', 400),
    ];

    [Fact]
    public async Task Every_operation_answers_random_and_hostile_input_without_a_server_error_and_as_documented()
    {
        var capture = new LogCapture();
        // The per-client limits on sign-ins and tickets would otherwise answer most of the calls with 429.
        await using var node = await LoggedNodeAsync(capture, new Dictionary<string, string>
        {
            ["RateLimits:SignInPerMinute"] = "100000",
            ["RateLimits:TicketsPerMinute"] = "100000",
        });
        using var client = node.Api();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/api/v1/openapi.json", Ct));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var callers = new[]
        {
            ("anonymous", (string?)null),
            ("resident", await DemoApiTests<TApp>.TokenAsync(client, new { persona = "expecting-couple" })),
            ("staff", await DemoApiTests<TApp>.TokenAsync(client, new { staff = "kacho" })),
        };
        var values = await RealValuesAsync(client, callers[1].Item2!, callers[2].Item2!);

        var random = new Random(Seed);
        var failures = new List<string>();
        var calls = 0;
        var statuses = new SortedDictionary<int, int>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                for (var i = 0; i < CallsPerOperation; i++)
                {
                    var (who, token) = callers[random.Next(callers.Length)];
                    using var request = Request(random, operation.Name, path.Name, operation.Value, schemas, values, out var description);
                    if (token is not null)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    }
                    using var response = await client.SendAsync(request, Ct);
                    calls++;
                    var status = (int)response.StatusCode;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    var body = await response.Content.ReadAsStringAsync(Ct);
                    var problem = Check(response, body, operation.Value, schemas);
                    if (problem is not null)
                    {
                        failures.Add($"{operation.Name.ToUpperInvariant()} {path.Name} as {who}: {description} → {status}: {problem}");
                    }
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{calls} calls; answers by status: " + string.Join(", ", statuses.Select(s => $"{s.Key} × {s.Value}")));
        // Every operation of the document was called, with a success and an error among the answers overall.
        Assert.True(calls >= 30 * CallsPerOperation, $"only {calls} calls");
        Assert.Contains(statuses.Keys, s => s is >= 200 and < 300);
        Assert.Contains(statuses.Keys, s => s is 400 or 422);
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} answers broke the contract (seed {Seed}):\n" + string.Join("\n", failures.Take(30)));
        var errors = capture.Lines.Where(l => l.Level >= LogLevel.Error).Select(l => $"{l.Category}: {l.Message.Split('\n')[0]}").ToList();
        Assert.True(errors.Count == 0, "errors logged while fuzzing:\n" + string.Join("\n", errors.Distinct().Take(20)));
    }

    /// <summary>Ids and slugs that exist, so that the fuzzing reaches past the 404s.</summary>
    private async Task<List<string>> RealValuesAsync(HttpClient client, string resident, string staff)
    {
        var values = new List<string> { "ninshin-todoke", "jumin-hyo", Guid.NewGuid().ToString() };
        using (var submit = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = JsonContent.Create(PregnancyNotice()) })
        {
            submit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", resident);
            using var response = await client.SendAsync(submit, Ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            values.AddRange(Strings(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct)), "id"));
        }
        foreach (var (url, token, name) in new[]
        {
            ("/api/v1/procedures?limit=5", null, "slug"), ("/api/v1/offices", null, "id"), ("/api/v1/life-events", null, "id"),
            ("/api/v1/staff/cases", staff, "id"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            values.AddRange(Strings(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct)), name).Take(3));
        }
        return values;
    }

    private static IEnumerable<string> Strings(JsonNode? node, string name) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == name && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? [s] : Strings(p.Value, name)),
        JsonArray a => a.SelectMany(item => Strings(item, name)),
        _ => [],
    };

    private static HttpRequestMessage Request(Random random, string method, string template, JsonElement operation, JsonElement schemas, List<string> values, out string description)
    {
        string Value() => random.Next(3) == 0 ? values[random.Next(values.Count)] : Hostile[random.Next(Hostile.Length)];
        var path = template;
        var query = new List<string>();
        if (operation.TryGetProperty("parameters", out var parameters))
        {
            foreach (var parameter in parameters.EnumerateArray())
            {
                var name = parameter.GetProperty("name").GetString()!;
                if (parameter.GetProperty("in").GetString() == "path")
                {
                    // Never empty: "/cases/" is another route (the list), not a hostile id.
                    var value = Value();
                    path = path.Replace("{" + name + "}", Uri.EscapeDataString(value.Length == 0 ? " " : value), StringComparison.Ordinal);
                }
                else if (random.Next(2) == 0)
                {
                    query.Add($"{name}={Uri.EscapeDataString(Value())}");
                }
            }
        }
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        description = request.RequestUri!.ToString();
        if (method is "get")
        {
            return request;
        }
        JsonNode? body = operation.TryGetProperty("requestBody", out var requestBody)
            ? Instance(requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema"), schemas, random, 0)
            : template == "/api/v1/applications" ? JsonSerializer.SerializeToNode(PregnancyNotice()) : new JsonObject();
        var (content, mediaType, how) = Break(body, random);
        request.Content = new StringContent(content, Encoding.UTF8, mediaType);
        description += $" with {how} body {(content.Length > 120 ? content[..120] + "…" : content)}";
        return request;
    }

    /// <summary>A value the schema describes: the fuzzing starts from something well formed and breaks it.</summary>
    private static JsonNode? Instance(JsonElement schema, JsonElement schemas, Random random, int depth)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return depth > 6 ? null : Instance(schemas.GetProperty(reference.GetString()!.Split('/')[^1]), schemas, random, depth + 1);
        }
        if (schema.TryGetProperty("oneOf", out var choices))
        {
            return Instance(choices[random.Next(choices.GetArrayLength())], schemas, random, depth);
        }
        var types = Types(schema);
        if (types.Contains("object") || schema.TryGetProperty("properties", out _))
        {
            var result = new JsonObject();
            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    result[property.Name] = Instance(property.Value, schemas, random, depth + 1);
                }
            }
            return result;
        }
        if (types.Contains("array"))
        {
            return schema.TryGetProperty("items", out var items) ? new JsonArray(Instance(items, schemas, random, depth + 1)) : [];
        }
        if (types.Contains("integer")) return random.Next(-1, 4);
        if (types.Contains("number")) return random.NextDouble();
        if (types.Contains("boolean")) return random.Next(2) == 0;
        if (types.Contains("string")) return schema.TryGetProperty("format", out var format) && format.GetString() == "date-time" ? "2027-01-15T10:00:00Z" : "x";
        return null;
    }

    private static (string Content, string MediaType, string How) Break(JsonNode? body, Random random)
    {
        switch (random.Next(10))
        {
            case 0: return (body?.ToJsonString() ?? "null", "application/json", "a well-formed");
            case 1: return ("{\"unterminated\": ", "application/json", "an invalid JSON");
            case 2: return (body?.ToJsonString() ?? "", "text/plain", "a text/plain");
            case 3: return (new string('[', 5000) + new string(']', 5000), "application/json", "a deeply nested");
            case 4: return ("{\"x\":\"" + new string('a', 300_000) + "\"}", "application/json", "a 300 kB");
            case 5: return (random.Next(2) == 0 ? "[]" : "null", "application/json", "a wrong-root");
        }
        if (body is not JsonObject obj || obj.Count == 0)
        {
            return ("{}", "application/json", "an empty");
        }
        var copy = (JsonObject)obj.DeepClone();
        var key = copy.ElementAt(random.Next(copy.Count)).Key;
        JsonNode? wrong = random.Next(6) switch
        {
            0 => null,
            1 => 1e300,
            2 => new JsonArray("a", 1, null),
            3 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = "x" } },
            4 => Hostile[random.Next(Hostile.Length)],
            _ => true,
        };
        if (random.Next(4) == 0) copy.Remove(key); else copy[key] = wrong;
        copy["unexpected" + random.Next(100)] = "extra";
        return (copy.ToJsonString(), "application/json", $"a mutated ({key})");
    }

    /// <summary>What is wrong with an answer, or null when nothing is.</summary>
    private static string? Check(HttpResponseMessage response, string body, JsonElement operation, JsonElement schemas)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return "a server error";
        }
        // 414 is the server's answer to a request line too long to route, before any operation is chosen (docs/api.md).
        if (status != 414 && !operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out _))
        {
            return "an answer the document does not name for this operation";
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (status >= 400)
        {
            return body.Length == 0 || mediaType == "application/problem+json" ? null : $"an error answered as {mediaType}, not problem details";
        }
        if (!operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var documented)
            || !documented.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json))
        {
            return null;
        }
        if (mediaType != "application/json")
        {
            return $"documented as application/json, answered as {mediaType}";
        }
        JsonElement parsed;
        try
        {
            parsed = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return "a body that is not JSON";
        }
        return Mismatch(parsed, json.GetProperty("schema"), schemas, "$");
    }

    /// <summary>The first place where the value does not match the schema (the subset of JSON Schema the document uses).</summary>
    private static string? Mismatch(JsonElement value, JsonElement schema, JsonElement schemas, string at)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return Mismatch(value, schemas.GetProperty(reference.GetString()!.Split('/')[^1]), schemas, at);
        }
        if (schema.TryGetProperty("oneOf", out var choices))
        {
            return choices.EnumerateArray().Count(c => Mismatch(value, c, schemas, at) is null) == 1 ? null : $"{at} matches not exactly one of its choices";
        }
        var types = Types(schema);
        var kind = value.ValueKind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        };
        if (types.Count > 0 && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
        {
            return $"{at} is {kind}, documented as {string.Join("|", types)}";
        }
        if (kind == "string" && schema.TryGetProperty("format", out var format))
        {
            var text = value.GetString()!;
            if (format.GetString() == "uuid" && !Guid.TryParse(text, out _)) return $"{at} is not a uuid";
            if (format.GetString() == "date-time" && !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _)) return $"{at} is not a date-time";
        }
        if (kind == "object")
        {
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                {
                    if (!value.TryGetProperty(name, out _)) return $"{at}.{name} is required and missing";
                }
            }
            foreach (var property in value.EnumerateObject())
            {
                var propertySchema = schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(property.Name, out var p) ? p
                    : schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object ? additional
                    : default;
                if (propertySchema.ValueKind == JsonValueKind.Object && Mismatch(property.Value, propertySchema, schemas, $"{at}.{property.Name}") is { } inner)
                {
                    return inner;
                }
            }
        }
        if (kind == "array" && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Mismatch(item, items, schemas, $"{at}[{index++}]") is { } inner) return inner;
            }
        }
        return null;
    }

    private static List<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)]
        : [type.GetString()!];
}

public sealed class ApiFuzzTests_Sqlite(SqliteApp app) : ApiFuzzTests<SqliteApp>(app);

public sealed class ApiFuzzTests_Postgres(PostgresApp app) : ApiFuzzTests<PostgresApp>(app);
