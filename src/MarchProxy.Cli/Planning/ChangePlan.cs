using MarchProxy.Api.V1;
using MarchProxy.Cli.Config;

namespace MarchProxy.Cli.Planning;

/// <summary>
/// The difference between a file and the live config, in the order it is applied: clusters first
/// (routes name them), then routes, then deletions of routes and, last, of clusters.
/// </summary>
public sealed class ChangePlan
{
    public ChangePlan(IReadOnlyList<ResourceChange> changes, long liveVersion)
    {
        Changes = changes;
        LiveVersion = liveVersion;
    }

    public IReadOnlyList<ResourceChange> Changes { get; }

    /// <summary>The config version the plan was computed against.</summary>
    public long LiveVersion { get; }

    public IEnumerable<ResourceChange> Pending => Changes.Where(c => c.Action != ChangeAction.Unchanged);

    public bool HasChanges => Pending.Any();

    public int Count(ChangeAction action) => Changes.Count(c => c.Action == action);

    /// <summary>Names of the clusters the plan creates (a dry run cannot expect the API to know them yet).</summary>
    public HashSet<string> CreatedClusters => Changes.Where(c => c.Kind == "cluster" && c.Action == ChangeAction.Create).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

    public static ChangePlan Build(DesiredConfig desired, ClustersResponse liveClusters, RoutesResponse liveRoutes, bool prune)
    {
        var changes = new List<ResourceChange>();
        var clusters = liveClusters.Clusters.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var routes = liveRoutes.Routes.ToDictionary(r => r.Name, StringComparer.Ordinal);

        foreach (var cluster in desired.Clusters)
        {
            var wanted = ResourceNormalizer.Normalize(cluster);
            var live = clusters.GetValueOrDefault(cluster.Name) is { } c ? ResourceNormalizer.Normalize(c) : null;
            changes.Add(Change("cluster", cluster.Name, live, wanted, cluster, desired));
        }

        foreach (var route in desired.Routes)
        {
            var wanted = ResourceNormalizer.Normalize(route);
            var live = routes.GetValueOrDefault(route.Name) is { } r ? ResourceNormalizer.Normalize(r) : null;
            changes.Add(Change("route", route.Name, live, wanted, route, desired));
        }

        if (prune)
        {
            var keepRoutes = desired.Routes.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            var keepClusters = desired.Clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            changes.AddRange(liveRoutes.Routes.Where(r => !keepRoutes.Contains(r.Name)).OrderBy(r => r.Name, StringComparer.Ordinal)
                .Select(r => new ResourceChange("route", r.Name, ChangeAction.Delete, null, [], null)));
            changes.AddRange(liveClusters.Clusters.Where(c => !keepClusters.Contains(c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new ResourceChange("cluster", c.Name, ChangeAction.Delete, null, [], null)));
        }

        return new ChangePlan(changes, Math.Max(liveClusters.Version, liveRoutes.Version));
    }

    private static ResourceChange Change<T>(string kind, string name, T? live, T wanted, T request, DesiredConfig desired)
        where T : class, Google.Protobuf.IMessage<T>
    {
        var source = desired.Sources.GetValueOrDefault((kind, name));
        if (live is null)
        {
            return new ResourceChange(kind, name, ChangeAction.Create, request, FieldDiff.Compare(null, wanted), source);
        }

        var fields = FieldDiff.Compare(live, wanted);
        return new ResourceChange(kind, name, fields.Count == 0 ? ChangeAction.Unchanged : ChangeAction.Update, request, fields, source);
    }
}
