using Madoguchi.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Madoguchi.Web.Features.Counters.Staff;

/// <summary>Administrators set up an office's services (names, prefix, time per person, slot capacity) and its counters, without code.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class SetupModel(AppDb db, Queue queue, TimeProvider clock, Ui t) : PageModel
{
    public sealed class ServiceInput
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? NameEn { get; set; }
        public string? NameEasy { get; set; }
        public string? Reading { get; set; }
        public string? Prefix { get; set; }
        public int AverageMinutes { get; set; }
        public int SlotMinutes { get; set; }
        public int SlotCapacity { get; set; }
        public int OnlineCapacity { get; set; }
    }

    public sealed class CounterInput
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? NameEn { get; set; }
    }

    [BindProperty]
    public List<ServiceInput> Services { get; set; } = [];

    [BindProperty]
    public List<CounterInput> Counters { get; set; } = [];

    [BindProperty]
    public string? NewCounter { get; set; }

    public Catalog.Office Office { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string office, CancellationToken ct)
    {
        var found = await db.Offices.AsNoTracking().SingleOrDefaultAsync(o => o.Id == office, ct);
        if (found is null) return NotFound();
        Office = found;
        Services = await db.CounterServices.AsNoTracking().Where(s => s.OfficeId == office).OrderBy(s => s.Order)
            .Select(s => new ServiceInput { Id = s.Id, Name = s.Name, NameEn = s.NameEn, NameEasy = s.NameEasy, Reading = s.Reading, Prefix = s.Prefix, AverageMinutes = s.AverageMinutes, SlotMinutes = s.SlotMinutes, SlotCapacity = s.SlotCapacity, OnlineCapacity = s.OnlineCapacity })
            .ToListAsync(ct);
        Counters = await db.Counters.AsNoTracking().Where(c => c.OfficeId == office).OrderBy(c => c.Order)
            .Select(c => new CounterInput { Id = c.Id, Name = c.Name, NameEn = c.NameEn }).ToListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string office, CancellationToken ct)
    {
        var found = await db.Offices.AsNoTracking().SingleOrDefaultAsync(o => o.Id == office, ct);
        if (found is null) return NotFound();
        Office = found;
        var services = await db.CounterServices.Where(s => s.OfficeId == office).ToListAsync(ct);
        var counters = await db.Counters.Where(c => c.OfficeId == office).ToListAsync(ct);
        foreach (var (input, n) in Services.Select((s, n) => (s, n)))
        {
            var key = $"Services[{n}]";
            if (string.IsNullOrWhiteSpace(input.Name)) ModelState.AddModelError($"{key}.Name", t["setup.error.name"]);
            if (input.Prefix is not { Length: 1 } || !char.IsAsciiLetterUpper(input.Prefix[0]) || Services.Count(s => s.Prefix == input.Prefix) > 1)
                ModelState.AddModelError($"{key}.Prefix", t["setup.error.prefix"]);
            if (input.AverageMinutes is < 1 or > 240 || input.SlotMinutes is < 5 or > 240)
                ModelState.AddModelError($"{key}.AverageMinutes", t["setup.error.minutes"]);
            if (input.SlotCapacity is < 0 or > 50 || input.OnlineCapacity < 0 || input.OnlineCapacity > input.SlotCapacity)
                ModelState.AddModelError($"{key}.OnlineCapacity", t["setup.error.capacity"]);
        }
        foreach (var (input, n) in Counters.Select((c, n) => (c, n)).Where(c => string.IsNullOrWhiteSpace(c.c.Name)))
        {
            ModelState.AddModelError($"Counters[{n}].Name", t["setup.error.name"]);
        }
        if (!ModelState.IsValid) return Page();
        foreach (var input in Services)
        {
            if (services.FirstOrDefault(s => s.Id == input.Id) is not { } service) continue;
            (service.Name, service.NameEn, service.NameEasy, service.Reading, service.Prefix) = (input.Name!.Trim(), input.NameEn?.Trim() ?? "", input.NameEasy?.Trim() ?? "", input.Reading?.Trim() ?? "", input.Prefix!);
            (service.AverageMinutes, service.SlotMinutes, service.SlotCapacity, service.OnlineCapacity) = (input.AverageMinutes, input.SlotMinutes, input.SlotCapacity, input.OnlineCapacity);
        }
        foreach (var input in Counters)
        {
            if (counters.FirstOrDefault(c => c.Id == input.Id) is not { } counter) continue;
            (counter.Name, counter.NameEn) = (input.Name!.Trim(), input.NameEn?.Trim() ?? "");
        }
        if (!string.IsNullOrWhiteSpace(NewCounter))
        {
            var order = counters.Count == 0 ? 1 : counters.Max(c => c.Order) + 1;
            db.Counters.Add(new Counter { Id = $"{office}-{Guid.CreateVersion7():N}"[..(office.Length + 9)], OfficeId = office, Name = NewCounter.Trim(), Order = order });
        }
        db.Audit(clock, AuditLog.ActorOf(User), "counters.setup-changed", $"office:{office}");
        await db.SaveChangesAsync(ct);
        await queue.TouchAsync(office, ct);
        return Redirect($"/staff/counters/setup/{office}?saved=true");
    }
}
