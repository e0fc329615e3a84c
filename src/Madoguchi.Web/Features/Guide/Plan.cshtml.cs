using Madoguchi.Web.Features.Catalog;
using Madoguchi.Web.Platform.Calendar;

namespace Madoguchi.Web.Features.Guide;

/// <summary>The resident's plan for a life event, rebuilt from the answers in the address (so it can be bookmarked and printed).</summary>
public sealed class PlanModel(CatalogIndex index, CityCalendar calendar, Ui t) : PageModel
{
    public string Id { get; private set; } = "";
    public CatalogSnapshot Catalog { get; private set; } = null!;
    public PlanRequest Answers { get; private set; } = new(null, null, []);
    public Plan? Plan { get; private set; }
    public bool Print { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, bool print, CancellationToken ct)
    {
        Catalog = await index.GetAsync(ct);
        if (Catalog.LifeEvent(id) is not { } lifeEvent)
        {
            return NotFound();
        }
        Id = id;
        Print = print;
        Answers = GuideQuery.Read(Request.Query, lifeEvent);
        var problems = Answers.Validate(lifeEvent, Catalog, t, out var eventDate);
        foreach (var (key, messages) in problems)
        {
            ModelState.AddModelError(key, messages[0]);
        }
        if (problems.Count == 0)
        {
            Plan = Planner.Build(Catalog, calendar, id, lifeEvent, eventDate, Answers.Ward, Answers.Answers ?? []);
        }
        return Page();
    }
}
