using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Platform;

namespace Madoguchi.Web.Features.Counters;

/// <summary>The same services and counters in each of the demo city's seven ward offices. Safe to run again.</summary>
public sealed class CountersSeed : IDemoSeeder
{
    private sealed record ServiceTemplate(string Suffix, string Prefix, string Name, string En, string Easy, string Reading, int Minutes);

    private static readonly ServiceTemplate[] Services =
    [
        new("address", "A", "転入・転出・転居", "Moving in, out or within the city", "ひっこしの てつづき", "てんにゅう・てんしゅつ・てんきょ", 15),
        new("koseki", "B", "出生・婚姻・死亡の届出", "Births, marriages and deaths", "うまれた・けっこん・なくなった とどけ", "しゅっせい・こんいん・しぼうのとどけで", 20),
        new("certificates", "C", "住民票・証明書", "Certificates", "しょうめいしょ", "じゅうみんひょう・しょうめいしょ", 5),
        new("mynumber", "D", "マイナンバーカード", "My Number card", "マイナンバーカード", "まいなんばーかーど", 15),
        new("insurance", "E", "国民健康保険・年金", "Health insurance and pension", "けんこうほけん・ねんきん", "こくみんけんこうほけん・ねんきん", 12),
        new("children", "F", "子育て・手当", "Children and allowances", "こそだて・てあて", "こそだて・てあて", 15),
    ];

    private static readonly (string Number, string[] Services)[] Counters =
    [
        ("1", ["address"]), ("2", ["address", "certificates"]), ("3", ["koseki"]), ("4", ["certificates", "mynumber"]),
        ("6", ["insurance"]), ("7", ["insurance"]), ("21", ["children"]),
    ];

    public Task SeedAsync(IServiceProvider services, CancellationToken ct) =>
        AddOfficesAsync(services.GetRequiredService<AppDb>(), DemoCatalog.Wards.Select(w => w.Id), ct);

    /// <summary>Gives each office the standard services and counters it does not have yet.</summary>
    public static async Task AddOfficesAsync(AppDb db, IEnumerable<string> officeIds, CancellationToken ct)
    {
        var existing = await db.CounterServices.Select(s => s.Id).ToListAsync(ct);
        var counters = await db.Counters.Select(c => c.Id).ToListAsync(ct);
        foreach (var ward in officeIds.Select(id => new { Id = id }))
        {
            foreach (var (t, order) in Services.Select((t, i) => (t, i)))
            {
                if (!existing.Contains($"{ward.Id}-{t.Suffix}"))
                {
                    db.CounterServices.Add(new CounterService
                    {
                        Id = $"{ward.Id}-{t.Suffix}", OfficeId = ward.Id, Name = t.Name, NameEn = t.En, NameEasy = t.Easy, Reading = t.Reading,
                        Prefix = t.Prefix, AverageMinutes = t.Minutes, SlotMinutes = 30, SlotCapacity = 2, OnlineCapacity = 1, Order = order,
                    });
                }
            }
            foreach (var (number, handles) in Counters)
            {
                if (!counters.Contains($"{ward.Id}-{number}"))
                {
                    db.Counters.Add(new Counter
                    {
                        Id = $"{ward.Id}-{number}", OfficeId = ward.Id, Name = $"{number}番窓口", NameEn = $"Counter {number}",
                        Services = [.. handles.Select(h => $"{ward.Id}-{h}")], Order = int.Parse(number, System.Globalization.CultureInfo.InvariantCulture),
                    });
                }
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
