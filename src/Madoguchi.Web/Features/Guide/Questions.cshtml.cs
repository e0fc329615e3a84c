using Madoguchi.Web.Features.Accounts;
using Madoguchi.Web.Features.Catalog;

namespace Madoguchi.Web.Features.Guide;

/// <summary>The questionnaire: step 0 asks the date and the ward, then one question per screen, then the plan.</summary>
public sealed class QuestionsModel(CatalogIndex index, AppDb db, Ui t, Microsoft.Extensions.Options.IOptions<CatalogOptions> options) : PageModel
{
    public string Id { get; private set; } = "";
    public CatalogSnapshot Catalog { get; private set; } = null!;
    public LifeEventContent Event { get; private set; } = null!;
    public PlanRequest Answers { get; private set; } = new(null, null, []);
    public int Step { get; private set; }
    public IReadOnlyList<Question> Visible { get; private set; } = [];
    public Question? Current => Step >= 1 && Step <= Visible.Count ? Visible[Step - 1] : null;
    /// <summary>The value shown as chosen: the resident's earlier answer, else what their household record says.</summary>
    public string? Chosen { get; private set; }
    public bool FromProfile { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? step, CancellationToken ct)
    {
        Catalog = await index.GetAsync(ct);
        if (Catalog.LifeEvent(id) is not { } lifeEvent)
        {
            return NotFound();
        }
        Id = id;
        Event = lifeEvent;
        Answers = GuideQuery.Read(Request.Query, lifeEvent);
        var resident = await SignedInResidentAsync(ct);
        // A step that is not a number starts from the beginning rather than failing.
        Step = int.TryParse(step, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? Math.Min(n, 100) : 0;
        if (Step == 0)
        {
            if (resident is not null && string.IsNullOrEmpty(Answers.Ward))
            {
                Answers = Answers with { Ward = GuideQuery.WardOf(resident, Catalog, options.Value.CityName) };
                FromProfile = Answers.Ward is not null;
            }
            return Page();
        }

        var problems = Answers.Validate(lifeEvent, Catalog, t, out var eventDate);
        foreach (var (key, messages) in problems)
        {
            ModelState.AddModelError(key, messages[0]);
        }
        if (problems.ContainsKey(GuideQuery.EventDate) || problems.ContainsKey(PlanRequest.WardKey))
        {
            Step = 0;
            return Page();
        }
        var answers = Answers.Answers ?? [];
        Visible = [.. lifeEvent.Questions.Where(q => Condition.Evaluate(q.When, answers) != Truth.False)];
        // Every choice before this step needs an answer (「わからない」 is one); send the resident back to the first gap.
        for (var i = 0; i < Math.Min(Step - 1, Visible.Count); i++)
        {
            if (Visible[i].Type == Question.Choice && !answers.ContainsKey(Visible[i].Key))
            {
                Step = i + 1;
                ModelState.AddModelError(Visible[i].Key, t["guide.error.required"]);
                break;
            }
        }
        if (Step > Visible.Count && ModelState.IsValid)
        {
            return Redirect($"/guide/{id}/plan{GuideQuery.ToQuery(Answers)}");
        }
        Step = Math.Min(Step, Math.Max(1, Visible.Count));
        if (Current is { } current)
        {
            Chosen = answers.GetValueOrDefault(current.Key);
            if (Chosen is null && resident is not null && GuideQuery.FromHousehold(resident, lifeEvent, eventDate).TryGetValue(current.Key, out var known))
            {
                Chosen = known;
                FromProfile = true;
            }
        }
        return Page();
    }

    private async Task<Resident?> SignedInResidentAsync(CancellationToken ct) =>
        User.ResidentId() is { } residentId
            ? await db.Residents.Include(r => r.Household).AsNoTracking().SingleOrDefaultAsync(r => r.Id == residentId, ct)
            : null;

    /// <summary>The hidden fields that carry every answer except the one on this screen.</summary>
    public IEnumerable<(string Key, string Value)> Carried(params string[] except) =>
        new[] { (GuideQuery.EventDate, Answers.EventDate), (PlanRequest.WardKey, Answers.Ward) }
            .Concat((Answers.Answers ?? []).Select(a => (a.Key, (string?)a.Value)))
            .Where(p => !except.Contains(p.Item1) && !string.IsNullOrEmpty(p.Item2))
            .Select(p => (p.Item1, p.Item2!));
}
