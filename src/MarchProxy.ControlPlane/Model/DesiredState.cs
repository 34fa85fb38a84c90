using System.Collections.Immutable;

namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// The whole desired configuration at one version. Immutable: a change produces a new value with a
/// higher <see cref="Version"/>. Collections are keyed by name (ordinal), so lookups and
/// "replace one route" are cheap and the rest of the state is shared between versions.
/// </summary>
public sealed record DesiredState
{
    public static DesiredState Empty { get; } = new();

    /// <summary>Strictly increasing; 0 means "nothing applied yet".</summary>
    public long Version { get; init; }

    public ImmutableSortedDictionary<string, ListenerSpec> Listeners { get; init; } =
        ImmutableSortedDictionary.Create<string, ListenerSpec>(StringComparer.Ordinal);

    public ImmutableSortedDictionary<string, RouteSpec> Routes { get; init; } =
        ImmutableSortedDictionary.Create<string, RouteSpec>(StringComparer.Ordinal);

    public ImmutableSortedDictionary<string, ClusterSpec> Clusters { get; init; } =
        ImmutableSortedDictionary.Create<string, ClusterSpec>(StringComparer.Ordinal);

    public DesiredState WithRoute(RouteSpec route) => this with { Routes = Routes.SetItem(route.Name, route) };

    public DesiredState WithoutRoute(string name) => this with { Routes = Routes.Remove(name) };

    public DesiredState WithCluster(ClusterSpec cluster) => this with { Clusters = Clusters.SetItem(cluster.Name, cluster) };

    public DesiredState WithoutCluster(string name) => this with { Clusters = Clusters.Remove(name) };

    public DesiredState WithListener(ListenerSpec listener) => this with { Listeners = Listeners.SetItem(listener.Name, listener) };
}
