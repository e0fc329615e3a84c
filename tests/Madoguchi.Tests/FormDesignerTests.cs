using System.Net;
using AngleSharp.Dom;
using Madoguchi.Tests.Infrastructure;
using Madoguchi.Web.Features.Catalog;
using Microsoft.EntityFrameworkCore;

namespace Madoguchi.Tests;

public abstract class FormDesignerTests<TApp>(TApp app) : AppTests<TApp>(app) where TApp : MadoguchiApp
{
    [Fact]
    public async Task An_administrator_adds_a_question_previews_and_publishes_while_earlier_applications_keep_their_version()
    {
        // A resident's draft made on version 1.
        using var resident = await SignInWithDemoProviderAsync("single-adult");
        var apply = await resident.GetAsync("/apply/inu-henko-chuo");
        var before = await resident.SubmitAsync(apply, "main form");
        var earlierId = Guid.Parse(before.Url.AbsolutePath.Split('/')[2]);

        var admin = await StaffSessionAsync("admin");
        var editor = await admin.GetAsync("/staff/forms/inu-henko");
        Assert.Equal(HttpStatusCode.OK, editor.Status);
        Assert.Equal("dog_name", editor.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#input-pages\\[1\\]-fields\\[0\\]-key")!.Value);

        // Add a question to the second page, with a key that is not allowed first.
        editor = await admin.SubmitAsync(editor, "#designer", new Dictionary<string, string> { ["action"] = "add-field:1" });
        const string New = "Input.Pages[1].Fields[5]";
        var refused = await admin.SubmitAsync(editor, "#designer", new Dictionary<string, string>
        {
            ["action"] = "save", [New + ".Key"] = "Vaccinated!", [New + ".Type"] = "yesno", [New + ".Label"] = "今年度の狂犬病予防注射は済みましたか | Has the dog had this year's rabies shot? | ことしの ちゅうしゃは すみましたか",
        });
        Assert.Contains("キーは英小文字で始まる", refused.Text);
        var saved = await admin.SubmitAsync(refused, "#designer", new Dictionary<string, string> { ["action"] = "save", [New + ".Key"] = "vaccinated" });
        Assert.Contains("saved=draft", saved.Url.Query);

        var preview = await admin.GetAsync("/staff/forms/inu-henko/preview");
        Assert.Contains("今年度の狂犬病予防注射は済みましたか", preview.Text);
        // Not yet for residents.
        using (var api = App.Api())
        {
            Assert.DoesNotContain("vaccinated", await api.GetStringAsync("/api/v1/forms/inu-henko", Ct));
        }
        var published = await admin.SubmitAsync(saved, "form[action$='Publish']");
        Assert.Contains("saved=published", published.Url.Query);
        using (var api = App.Api())
        {
            var form = await api.GetStringAsync("/api/v1/forms/inu-henko", Ct);
            Assert.Contains("vaccinated", form);
            Assert.Contains("\"version\":2", form);
        }

        // The earlier draft keeps version 1; a new application gets version 2 and its new question.
        Assert.Equal(1, await WithDb(db => db.Applications.Where(a => a.Id == earlierId).Select(a => a.FormVersion).SingleAsync()));
        var earlierPage = await resident.GetAsync($"/applications/{earlierId}/edit/dog");
        Assert.DoesNotContain("狂犬病予防注射", earlierPage.Text);
        await WithDb(db => db.Applications.Where(a => a.Id == earlierId).ExecuteDeleteAsync());
        using var other = await SignInWithDemoProviderAsync("senior");
        var fresh = await other.SubmitAsync(await other.GetAsync("/apply/inu-henko-higashi"), "main form");
        var freshId = Guid.Parse(fresh.Url.AbsolutePath.Split('/')[2]);
        var dogPage = await other.GetAsync($"/applications/{freshId}/edit/dog");
        Assert.Contains("今年度の狂犬病予防注射は済みましたか", dogPage.Text);
        Assert.Equal(2, await WithDb(db => db.Applications.Where(a => a.Id == freshId).Select(a => a.FormVersion).SingleAsync()));

        var audit = await WithDb(db => db.AuditEntries.Where(e => e.Subject == $"{CatalogDocument.Form}:inu-henko").Select(e => e.Action).ToListAsync());
        Assert.Contains("catalog.draft-saved", audit);
        Assert.Contains("catalog.published", audit);
    }

    [Fact]
    public async Task Saving_a_form_unchanged_in_the_designer_gives_back_exactly_the_published_definition()
    {
        var admin = await StaffSessionAsync("admin");
        foreach (var (slug, _) in Madoguchi.Web.Features.Forms.DemoForms.All.Where(f => f.Slug != "inu-henko"))
        {
            var editor = await admin.GetAsync($"/staff/forms/{slug}");
            var saved = await admin.SubmitAsync(editor, "#designer", new Dictionary<string, string> { ["action"] = "save" });
            Assert.Contains("saved=draft", saved.Url.Query);
            var bodies = await WithDb(db => db.CatalogDocuments.Where(d => d.Kind == CatalogDocument.Form && d.Key == slug).OrderBy(d => d.Version).Select(d => d.Body).ToListAsync());
            Assert.Equal(2, bodies.Count);
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(bodies[0]), System.Text.Json.Nodes.JsonNode.Parse(bodies[1])), $"{slug}:\n{bodies[0]}\n{bodies[1]}");
        }
    }
}

public sealed class FormDesignerTests_Sqlite(SqliteApp app) : FormDesignerTests<SqliteApp>(app);

public sealed class FormDesignerTests_Postgres(PostgresApp app) : FormDesignerTests<PostgresApp>(app);
