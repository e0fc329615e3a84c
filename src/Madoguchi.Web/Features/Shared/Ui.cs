using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Madoguchi.Web.Platform;
using Madoguchi.Web.Platform.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Madoguchi.Web.Features.Shared;

/// <summary>The three interface languages. Japanese is the default; やさしい日本語 (easy) is a language of its own.</summary>
public static class Languages
{
    public const string Japanese = "ja";
    public const string English = "en";
    public const string Easy = "easy";
    public const string Cookie = "madoguchi.lang";

    public static readonly IReadOnlyList<string> All = [Japanese, English, Easy];

    public static bool IsKnown(string? code) => code is Japanese or English or Easy;

    /// <summary>The value for the html lang attribute.</summary>
    public static string HtmlLang(string code) => code == English ? "en" : "ja";
}

/// <summary>All interface strings, loaded from Features/Shared/Resources/{ja,en,easy}.json.</summary>
public sealed class Strings
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> byLanguage;

    public Strings(IWebHostEnvironment environment)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Features", "Shared", "Resources");
        if (!Directory.Exists(folder))
        {
            folder = Path.Combine(environment.ContentRootPath, "Features", "Shared", "Resources");
        }
        byLanguage = Languages.All.ToFrozenDictionary(
            code => code,
            code => JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(folder, $"{code}.json")))!.ToFrozenDictionary());
    }

    public IReadOnlyCollection<string> Keys(string language) => byLanguage[language].Keys;

    /// <summary>The string in the language, else in Japanese, else the key itself (so a gap is visible, never a crash).</summary>
    public string Get(string language, string key) =>
        byLanguage.GetValueOrDefault(language)?.GetValueOrDefault(key)
        ?? byLanguage[Languages.Japanese].GetValueOrDefault(key)
        ?? key;
}

/// <summary>The current request's language and its strings: inject as T in views and page models.</summary>
public sealed class Ui(Strings strings, IHttpContextAccessor accessor, IConfiguration configuration, IServer server)
{
    /// <summary>
    /// Where residents reach this site, for links in mail: <c>PublicUrl</c> (required in Production); else the current
    /// request's origin; else, for work outside a request, where this app listens.
    /// </summary>
    public string BaseUrl => configuration["PublicUrl"] is { Length: > 0 } url ? url.TrimEnd('/')
        : accessor.HttpContext?.Request is { } r ? $"{r.Scheme}://{r.Host}"
        : SelfAddress.Of(server, configuration.GetValue<int?>("Staff:ListenPort"))?.GetLeftPart(UriPartial.Authority) ?? "";

    public string Language => accessor.HttpContext?.Items[Languages.Cookie] as string ?? Languages.Japanese;

    public string this[string key] => strings.Get(Language, key);

    public string Format(string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, this[key], args);

    /// <summary>A string in a given language (a resident's, for mail), or the request's when it is not known.</summary>
    public string In(string? language, string key) => strings.Get(Languages.IsKnown(language) ? language! : Language, key);

    public string FormatIn(string? language, string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, In(language, key), args);
}

public static class UiSetup
{
    public static IHostApplicationBuilder AddUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Strings>();
        builder.Services.AddScoped<Ui>();
        // An exception's problem says in the caller's language what to do, and nothing of how the server failed.
        builder.Services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails = context =>
        {
            if (context.Exception is null) return;
            var t = context.HttpContext.RequestServices.GetRequiredService<Ui>();
            var unavailable = context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable;
            context.ProblemDetails.Title = t[unavailable ? "api.error.unavailable" : "api.error.internal"];
            if (unavailable) context.HttpContext.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds;
        });
        // Japanese text goes out as text, not as numeric character references three times its size.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        var demo = Platform.DemoMode.IsEnabled(builder);
        builder.Services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            // Demo-only pages have no route at all outside demo mode: they answer 404.
            if (!demo)
            {
                o.Conventions.AddFolderRouteModelConvention("/Accounts/Demo", model => model.Selectors.Clear());
                o.Conventions.AddFolderRouteModelConvention("/Payments/LocalProvider", model => model.Selectors.Clear());
            }
        });
        builder.Services.Configure<RazorViewEngineOptions>(o =>
        {
            o.PageViewLocationFormats.Add("/Features/Shared/{0}" + RazorViewEngine.ViewExtension);
        });
        return builder;
    }

    public static WebApplication UseUi(this WebApplication app)
    {
        // The API answers errors as ProblemDetails; pages as localised error pages. Neither shows internals.
        // A database that cannot be reached is 503 with Retry-After, not a fault of ours: see DatabaseOutage.
        app.UseWhen(c => IsApi(c.Request.Path), api => api
            .UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = DatabaseOutage.StatusCode })
            .UseStatusCodePages());
        app.UseWhen(c => !IsApi(c.Request.Path), pages => pages
            .UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/error/500", StatusCodeSelector = DatabaseOutage.StatusCode })
            .UseStatusCodePagesWithReExecute("/error/{0}"));
        // After a storage fault the node is read-only (ADR 0011): whatever could change state or acknowledge it, an
        // idempotent replay included, is refused before it starts, as an outage; reads go on.
        var storage = app.Services.GetRequiredService<StorageFault>();
        app.Use((context, next) => storage.Since is null || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                                   || context.Features.Get<IExceptionHandlerFeature>() is not null // the error page for this very refusal
            ? next(context)
            : throw new StorageFaultException());
        app.UseStaticFiles();
        app.Use(async (context, next) =>
        {
            var language = context.Request.Cookies[Languages.Cookie];
            if (!Languages.IsKnown(language))
            {
                language = PreferredFromHeader(context.Request.Headers.AcceptLanguage.ToString());
            }
            context.Items[Languages.Cookie] = language;
            var culture = CultureInfo.GetCultureInfo(language == Languages.English ? "en-US" : "ja-JP");
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            await next();
        });
        app.UseRouting();
        return app;
    }

    internal static bool IsApi(PathString path) => path.StartsWithSegments("/api");

    /// <summary>English when the browser prefers it over Japanese; Japanese otherwise.</summary>
    private static string PreferredFromHeader(string acceptLanguage)
    {
        foreach (var part in acceptLanguage.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tag = part.Split(';')[0].Trim().ToLowerInvariant();
            if (tag.StartsWith("ja", StringComparison.Ordinal)) return Languages.Japanese;
            if (tag.StartsWith("en", StringComparison.Ordinal)) return Languages.English;
        }
        return Languages.Japanese;
    }
}
