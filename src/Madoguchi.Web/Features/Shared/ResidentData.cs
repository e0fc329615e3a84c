namespace Madoguchi.Web.Features.Shared;

/// <summary>
/// Personal data a feature keeps about a resident. The resident's download includes it under <see cref="Key"/>;
/// deleting the resident deletes it through the database's cascading keys.
/// </summary>
public interface IResidentData
{
    string Key { get; }

    Task<object> ExportAsync(AppDb db, Guid residentId, CancellationToken ct);
}
