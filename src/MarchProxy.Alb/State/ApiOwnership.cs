using System.Collections.Immutable;

namespace MarchProxy.Alb.State;

/// <summary>
/// The routes and clusters that the API has created, changed or deleted. On Reload these keep the
/// API's version (or stay deleted); everything else comes from the standalone config file.
/// </summary>
public sealed record ApiOwnership
{
    public static ApiOwnership None { get; } = new();

    public ImmutableSortedSet<string> Routes { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public ImmutableSortedSet<string> Clusters { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public ApiOwnership With(IEnumerable<ResourceRef> touched)
    {
        var routes = Routes.ToBuilder();
        var clusters = Clusters.ToBuilder();
        foreach (var resource in touched)
        {
            _ = resource.Kind == ResourceKind.Route ? routes.Add(resource.Name) : clusters.Add(resource.Name);
        }

        return routes.Count == Routes.Count && clusters.Count == Clusters.Count
            ? this
            : new ApiOwnership { Routes = routes.ToImmutable(), Clusters = clusters.ToImmutable() };
    }
}
