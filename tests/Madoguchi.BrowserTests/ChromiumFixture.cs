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
