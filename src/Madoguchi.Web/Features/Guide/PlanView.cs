using Madoguchi.Web.Features.Catalog;

namespace Madoguchi.Web.Features.Guide;

/// <summary>What the _Plan partial shows: a plan and the catalogue it was built from.</summary>
public sealed record PlanView(CatalogSnapshot Catalog, Plan Plan);
