using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Platform;

namespace Madoguchi.Web.Features.Counters;

/// <summary>Adds N extra offices with the standard services and counters, to load-test boards at a large city's size. Demo databases only.</summary>
internal sealed class GenerateOfficesVerb(DemoMode demo, IHostEnvironment environment) : IVerb
{
    public string Name => "generate-offices";

    public string Usage => "generate-offices <count> (demo mode only)";

    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (!demo.Enabled || environment.IsProduction() || args.Length != 1 || !int.TryParse(args[0], out var count) || count is < 1 or > 1000)
        {
            Console.Error.WriteLine($"Usage: {Usage}");
            return 64;
        }
        var db = services.GetRequiredService<AppDb>();
        var ids = Enumerable.Range(1, count).Select(n => $"office-{n:D3}").ToList();
        var existing = await db.Offices.Where(o => ids.Contains(o.Id)).Select(o => o.Id).ToListAsync();
        db.Offices.AddRange(ids.Except(existing).Select((id, n) => new Office { Id = id, Name = $"第{n + 1}出張所", NameEn = $"Branch {n + 1}", Kind = "branch", Order = 100 + n }));
        await db.SaveChangesAsync();
        await CountersSeed.AddOfficesAsync(db, ids, CancellationToken.None);
        Console.WriteLine($"{count} offices with services and counters are in place.");
        return 0;
    }
}
