using Madoguchi.Web.Platform;

namespace Madoguchi.Web.Features.Catalog;

/// <summary>
/// Adds N synthetic published procedures, built from the demo catalogue's names and words, so that search can be
/// measured at the size of a large city's catalogue. Demo databases only.
/// </summary>
internal sealed class GenerateCatalogVerb(DemoMode demo, IHostEnvironment environment) : IVerb
{
    public string Name => "generate-catalog";

    public string Usage => "generate-catalog <count> (demo mode only)";

    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (!demo.Enabled || environment.IsProduction() || args.Length != 1 || !int.TryParse(args[0], out var count) || count is < 1 or > 100_000)
        {
            Console.Error.WriteLine($"Usage: {Usage}");
            return 64;
        }
        var db = services.GetRequiredService<AppDb>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var templates = DemoCatalog.Procedures().Select(p => p.Content).DistinctBy(c => c.Code).ToList();
        var places = new[] { "本庁", "北部出張所", "南部出張所", "東部支所", "西部支所", "港支所", "山の手出張所", "駅前サービスコーナー", "臨海支所", "中央図書館" };
        var kinds = new[] { "", "（再交付）", "（変更）", "（取消し）", "（代理人）", "（郵送）", "（事業者）", "（特例）" };
        var random = new Random(20261122);
        var existing = await db.CatalogDocuments.CountAsync(d => d.Key.StartsWith("gen-"));
        for (var start = 0; start < count; start += 1000)
        {
            foreach (var i in Enumerable.Range(existing + start, Math.Min(1000, count - start)))
            {
                var t = templates[random.Next(templates.Count)];
                var place = places[random.Next(places.Length)];
                var kind = kinds[random.Next(kinds.Length)];
                var content = t with
                {
                    Code = $"gen-{i:D5}",
                    Office = null,
                    Name = new Text($"{t.Name.Ja}{kind}・{place}", $"{t.Name.En} ({place})", $"{t.Name.Easy}（{place}）"),
                    Summary = new Text($"{place}で受け付ける{t.Summary.Ja}", t.Summary.En, t.Summary.Easy),
                };
                db.CatalogDocuments.Add(new CatalogDocument
                {
                    Kind = CatalogDocument.Procedure, Key = content.Code, Version = 1, State = DocumentState.Published,
                    Body = CatalogDocument.Write(content), Author = "system:generate-catalog", CreatedAt = now, UpdatedAt = now, PublishedAt = now,
                });
            }
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        Console.WriteLine($"Added {count} generated procedures.");
        return 0;
    }
}
