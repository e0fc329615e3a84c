namespace Madoguchi.Web.Features.Shared;

/// <summary>One labelled input for the _Field partial: label, hint, error and read-only state in one accessible block.</summary>
public sealed record FieldModel(string Key, string Label, string? Value, string Type = "text", bool ReadOnly = false, string? Autocomplete = null, string? Hint = null)
{
    public string Id => ErrorSummaryTarget.IdFor(Key);
}
