using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Madoguchi.BrowserTests;

/// <summary>
/// Headless Chromium from the system package (never a downloaded browser), driven by Playwright.
/// Missing Chromium skips the browser tests with the reason.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("MADOGUCHI_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public string? SkipReason { get; private set; }

    private IPlaywright? playwright;
    private IBrowser? browser;

    public IBrowser Browser
    {
        get
        {
            Assert.SkipWhen(SkipReason is not null, SkipReason ?? "");
            return browser!;
        }
    }

    /// <summary>
    /// A fresh context with generous timeouts: CI shares two cores between the app, the HTTP suites and the
    /// browser, so a page can take far longer than on a desk. Timeouts only bound a wait; nothing is timed.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        // Every request and answer goes to the test's output, which the runner shows when the test fails: a wait that
        // times out then tells what the page asked for and what came back.
        var output = TestContext.Current.TestOutputHelper;
        void Log(string line)
        {
            try { output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"); }
            catch (InvalidOperationException) { /* the test is over */ }
        }
        context.Request += (_, r) => Log($"→ {r.Method} {r.Url}");
        context.Response += (_, r) => Log($"← {r.Status} {r.Request.Method} {r.Url}");
        context.RequestFailed += (_, r) => Log($"✕ {r.Method} {r.Url} {r.Failure}");
        return context;
    }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            SkipReason = $"Browser tests skipped: no Chromium at {ExecutablePath} (set MADOGUCHI_TEST_CHROMIUM or install the chromium package).";
            return;
        }
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
    }
}

public static class Navigation
{
    /// <summary>
    /// Waits until the page is at an address matching the glob (<c>**</c> any characters, <c>*</c> any but a slash)
    /// and its document has loaded.
    /// </summary>
    public static Task ArriveAsync(this IPage page, string glob) =>
        page.ArriveAsync(new Regex("^" + Regex.Escape(glob).Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*") + "$"));

    /// <summary>
    /// Waits until the page is at an address matching the pattern and its document has loaded. Both are read in the
    /// page itself rather than through Playwright's navigation and load events: with the distribution's Chromium,
    /// newer than this Playwright expects, the load event is now and then never reported after a form's redirect,
    /// and Playwright's URL wait falls back on that event when the address already matches.
    /// </summary>
    public static async Task ArriveAsync(this IPage page, Regex url) =>
        await page.WaitForFunctionAsync("pattern => new RegExp(pattern).test(location.href) && document.readyState === 'complete'",
            url.ToString(), new PageWaitForFunctionOptions { PollingInterval = 100 });

    /// <summary>Opens an address and waits until its document has loaded (see <see cref="ArriveAsync(IPage, string)"/>).</summary>
    public static async Task<IResponse?> OpenAsync(this IPage page, string url)
    {
        var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await LoadedAsync(page);
        return response;
    }

    public static async Task ReloadedAsync(this IPage page)
    {
        await page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.Commit });
        await LoadedAsync(page);
    }

    /// <summary>
    /// Runs an action that leaves the page (a form's submit button, a link) and waits until a new document has loaded,
    /// whatever its address: the current document is marked first, and the wait ends in a document without the mark.
    /// </summary>
    public static async Task FollowAsync(this IPage page, Func<Task> action)
    {
        // A wait rather than an evaluation, so that it too is bounded by the context's timeout.
        await page.WaitForFunctionAsync("() => { window.madoguchiLeft = true; return true; }");
        await action();
        await page.WaitForFunctionAsync("() => !window.madoguchiLeft && document.readyState === 'complete'", null, new PageWaitForFunctionOptions { PollingInterval = 100 });
    }

    /// <summary>
    /// Either signal will do: the in-page ready state or Playwright's load event. With the distribution's Chromium the
    /// load event is now and then never reported (above), and once the in-page poll never answered on a page whose
    /// every resource had been served; each wait is still bounded by the context's timeout.
    /// </summary>
    private static async Task LoadedAsync(IPage page)
    {
        var polled = page.WaitForFunctionAsync("() => document.readyState === 'complete'", null, new PageWaitForFunctionOptions { PollingInterval = 100 });
        var loaded = page.WaitForLoadStateAsync(LoadState.Load);
        var first = await Task.WhenAny(polled, loaded);
        var other = first == polled ? loaded : polled;
        if (first.IsCompletedSuccessfully)
        {
            // The other wait may still fail later (a timeout, the page closed); nothing is waiting for it any more.
            _ = other.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            return;
        }
        _ = first.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        await other;
    }
}
