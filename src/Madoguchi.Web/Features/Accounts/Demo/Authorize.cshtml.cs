namespace Madoguchi.Web.Features.Accounts.Demo;

/// <summary>The demo provider's sign-in screen: pick a persona and how they sign in (card = high assurance, local ID = low).</summary>
public sealed class AuthorizeModel(DemoIdp idp, Ui t) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "response_type")] public string? ResponseType { get; set; }
    [BindProperty(SupportsGet = true, Name = "client_id")] public string? ClientId { get; set; }
    [BindProperty(SupportsGet = true, Name = "redirect_uri")] public string? RedirectUri { get; set; }
    [BindProperty(SupportsGet = true, Name = "state")] public string? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "nonce")] public string? Nonce { get; set; }
    [BindProperty(SupportsGet = true, Name = "code_challenge")] public string? CodeChallenge { get; set; }
    [BindProperty(SupportsGet = true, Name = "code_challenge_method")] public string? CodeChallengeMethod { get; set; }
    [BindProperty(SupportsGet = true, Name = "scope")] public string? Scope { get; set; }

    [BindProperty] public string? Persona { get; set; }
    [BindProperty] public string? Method { get; set; }

    public string? RequestError { get; private set; }

    public IActionResult OnGet() => CheckRequest() ?? Page();

    /// <summary>The resident gives up: the provider answers access_denied, as the real one does.</summary>
    public IActionResult OnPostCancel() =>
        CheckRequest() ?? (IActionResult)Redirect($"{RedirectUri}?error=access_denied&state={Uri.EscapeDataString(State!)}");

    public IActionResult OnPost()
    {
        if (CheckRequest() is { } bad) return bad;
        var persona = DemoPersonas.Find(Persona);
        if (persona is null)
        {
            ModelState.AddModelError(nameof(Persona), t["demoidp.persona.required"]);
        }
        if (Method is not (DemoIdp.CardMethod or DemoIdp.LocalMethod))
        {
            ModelState.AddModelError(nameof(Method), t["demoidp.method.required"]);
        }
        else if (Method == DemoIdp.CardMethod && persona is { HasCard: false })
        {
            ModelState.AddModelError(nameof(Method), t["demoidp.nocard"]);
        }
        if (!ModelState.IsValid) return Page();
        var code = idp.IssueCode(new DemoIdp.CodeGrant(persona!.Id, Method!, RedirectUri!, CodeChallenge!, Nonce!));
        return Redirect($"{RedirectUri}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(State!)}");
    }

    private PageResult? CheckRequest()
    {
        RequestError = DemoIdp.RequestError(ResponseType, ClientId, RedirectUri, State, Nonce, CodeChallenge, CodeChallengeMethod);
        if (RequestError is null) return null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
