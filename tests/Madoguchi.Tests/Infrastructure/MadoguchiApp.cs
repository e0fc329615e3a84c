using System.Net;
using Madoguchi.Web.Platform.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Madoguchi.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel (127.0.0.1, a free port) against a fresh real database, in demo mode unless told
/// otherwise. Kestrel, not the in-memory test server, because the demo identity provider is reached over HTTP.
/// </summary>
public class MadoguchiApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly DatabaseProvider provider;
    private TestDatabase? database;

    public MadoguchiApp(DatabaseProvider provider)
    {
        this.provider = provider;
        SkipReason = TestDatabase.SkipReason(provider);
    }

    public string? SkipReason { get; }

    /// <summary>Another app's database to run on (a second node, or a restart); it stays owned by that app.</summary>
    public TestDatabase? SharedDatabase { get; init; }
    public DatabaseProvider Provider => provider;
    public TestDatabase Database => database ?? throw new InvalidOperationException("Not started.");
    public Uri BaseAddress { get; private set; } = null!;
    public string MailFolder => Path.Combine(Database.Folder, "mail");

    /// <summary>Extra settings; a subclass or a test may add before the app starts.</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Demo:Enabled"] = "true",
        // Tests count what they make; the demo's year of past cases is tested on its own.
        ["Demo:History"] = "false",
        ["Security:RequireHttps"] = "false",
        ["RateLimits:SignInPerMinute"] = "1000",
        ["RateLimits:TicketsPerMinute"] = "1000",
        ["Outbox:PollSeconds"] = "0.2",
        ["Logging:LogLevel:Default"] = System.Environment.GetEnvironmentVariable("MADOGUCHI_TEST_LOGLEVEL") ?? "None",
    };

    public string Environment { get; set; } = "Testing";

    /// <summary>Outside demo mode the app never migrates by itself: the test does it, as an operator runs the migrate verb.</summary>
    public bool MigrateBeforeStart { get; set; }

    public Action<IServiceCollection>? ConfigureTestServices { get; set; }

    /// <summary>Extra listeners (e.g. a staff port) besides the main one.</summary>
    public List<int> ExtraPorts { get; } = [];

    public async ValueTask InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }
        database = SharedDatabase ?? await TestDatabase.CreateAsync(provider);
        if (MigrateBeforeStart)
        {
            await database.MigrateAsync();
        }
        UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            foreach (var port in ExtraPorts)
            {
                o.Listen(IPAddress.Loopback, port);
            }
        });
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First(a => ExtraPorts.All(p => !a.EndsWith($":{p}", StringComparison.Ordinal))));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in Database.Settings().Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
        if (ConfigureTestServices is not null)
        {
            builder.ConfigureServices(ConfigureTestServices);
        }
    }

    /// <summary>A cookie-keeping client that does not follow redirects, like a browser driven by hand.</summary>
    public Browser Browser() => new(BaseAddress);

    /// <summary>A plain client with no cookie jar, as a script or another system would call the API.</summary>
    public HttpClient Api() => new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = BaseAddress };

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (database is not null && SharedDatabase is null)
        {
            await database.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteApp : MadoguchiApp
{
    public SqliteApp() : base(DatabaseProvider.Sqlite)
    {
    }
}

public sealed class PostgresApp : MadoguchiApp
{
    public PostgresApp() : base(DatabaseProvider.Postgres)
    {
    }
}
