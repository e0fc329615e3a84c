using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Madoguchi.Web.Platform;

/// <summary>
/// The answers the API document names for every operation from what guards it, so that no handler has to repeat them
/// and none is forgotten: the bearer token and 401/403 where a policy applies, 400 where a body or a number is bound,
/// 413/415 where a body is taken, and the refusal of a limit (429, or 503 with Retry-After for submissions). The API
/// fuzzing test holds every answer to the document (docs/api.md lists the few that any request can get, such as 414
/// for a request line that is too long).
/// </summary>
public static class OpenApiAnswers
{
    private const string BearerScheme = "Bearer";

    public static void Add(OpenApiOptions options, string submissionLimit)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An access token from the sign-in (residents) or the staff sign-in; it lasts an hour.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var guarded = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
            var limit = metadata.OfType<EnableRateLimitingAttribute>().LastOrDefault()?.PolicyName;
            var answers = new List<(int Status, string Description)>();
            if (guarded)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                answers.Add((StatusCodes.Status401Unauthorized, "No valid access token."));
                answers.Add((StatusCodes.Status403Forbidden, "The token's holder may not do this."));
            }
            // A body, or a number or flag in the query, that is not of its documented type is refused by the binding.
            if (operation.Parameters?.Any(p => p.Schema?.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number | JsonSchemaType.Boolean)) != 0) == true
                || operation.RequestBody is not null)
            {
                answers.Add((StatusCodes.Status400BadRequest, "A parameter or the body is not of its documented type."));
            }
            if (operation.RequestBody is not null)
            {
                answers.Add((StatusCodes.Status413PayloadTooLarge, "The body is larger than this operation takes."));
                answers.Add((StatusCodes.Status415UnsupportedMediaType, "The body is not application/json."));
            }
            if (limit is not null)
            {
                answers.Add(limit == submissionLimit
                    ? (StatusCodes.Status503ServiceUnavailable, "Too many submissions at once: nothing was stored; retry after Retry-After seconds with the same Idempotency-Key.")
                    : (StatusCodes.Status429TooManyRequests, "Too many requests from this address; retry after Retry-After seconds."));
            }
            if (answers.Count == 0)
            {
                return;
            }
            // One ProblemDetails schema among the components, referred to by every answer that carries one.
            if (context.Document?.Components?.Schemas?.ContainsKey(nameof(ProblemDetails)) != true)
            {
                context.Document!.AddComponent(nameof(ProblemDetails), await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct));
            }
            var problem = new OpenApiSchemaReference(nameof(ProblemDetails), context.Document);
            operation.Responses ??= [];
            foreach (var (status, description) in answers)
            {
                operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                });
            }
        });
    }
}
