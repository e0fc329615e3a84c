using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Madoguchi.Tests.Infrastructure;

/// <summary>
/// Drives the app the way a browser without JavaScript does: real HTTP, cookies, forms with their hidden
/// fields (antiforgery included), redirects followed one by one, across the demo identity provider too.
/// </summary>
public sealed class Browser : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient http;

    public Browser(Uri baseAddress, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => http;

    public sealed record Page(HttpStatusCode Status, Uri Url, IHtmlDocument Document, HttpResponseMessage Response, string Html)
    {
        public string Text => Document.Body?.TextContent ?? "";

        public IHtmlFormElement Form(string? selector = null) =>
            (IHtmlFormElement?)(selector is null ? Document.QuerySelectorAll("main form") is { Length: > 0 } forms ? forms[^1] : null : Document.QuerySelector(selector))
            ?? throw new InvalidOperationException($"No form '{selector}' on {Url}:\n{Text}");
    }

    public async Task<Page> GetAsync(string url, int maxRedirects = 10) => await FollowAsync(await http.GetAsync(url), maxRedirects);

    /// <summary>Fills the form's fields (others keep their values, checked radios included) and submits it.</summary>
    public async Task<Page> SubmitAsync(Page page, string? formSelector = null, IDictionary<string, string>? fields = null, int maxRedirects = 10)
    {
        var form = page.Form(formSelector);
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    if (input.Type is "radio" or "checkbox" && !input.IsChecked) continue;
                    if (input.Type is "submit") continue;
                    values.Add(new(input.Name, input.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    values.Add(new(select.Name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    values.Add(new(area.Name, area.Value));
                    break;
            }
        }
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            values.RemoveAll(v => v.Key == name);
            values.Add(new(name, value));
        }
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? page.Url : new Uri(page.Url, form.GetAttribute("action"));
        if (string.Equals(form.GetAttribute("method"), "get", StringComparison.OrdinalIgnoreCase))
        {
            var query = await new FormUrlEncodedContent(values).ReadAsStringAsync();
            return await FollowAsync(await http.GetAsync(new UriBuilder(action) { Query = query }.Uri), maxRedirects);
        }
        var response = await http.PostAsync(action, new FormUrlEncodedContent(values));
        return await FollowAsync(response, maxRedirects);
    }

    public async Task<HttpResponseMessage> PostFormAsync(string url, IDictionary<string, string> fields) =>
        await http.PostAsync(url, new FormUrlEncodedContent(fields));

    private async Task<Page> FollowAsync(HttpResponseMessage response, int maxRedirects)
    {
        for (var i = 0; i < maxRedirects && response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.MovedPermanently or HttpStatusCode.TemporaryRedirect; i++)
        {
            var location = response.Headers.Location!;
            var next = location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
            response.Dispose();
            response = await http.GetAsync(next);
        }
        var html = await response.Content.ReadAsStringAsync();
        return new Page(response.StatusCode, response.RequestMessage!.RequestUri!, await Parser.ParseDocumentAsync(html), response, html);
    }

    public void Dispose() => http.Dispose();
}
