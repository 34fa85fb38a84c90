using System.Collections.Immutable;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>The JSON document in DATA_DIR: the whole desired state with its version.</summary>
public sealed record PersistedStateDocument
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    public long Version { get; init; }

    public DateTimeOffset SavedAt { get; init; }

    public ImmutableArray<ListenerSpec> Listeners { get; init; } = [];

    public ImmutableArray<RouteSpec> Routes { get; init; } = [];

    public ImmutableArray<ClusterSpec> Clusters { get; init; } = [];

    /// <summary>Routes the API has created, changed or deleted (see <see cref="ApiOwnership"/>).</summary>
    public ImmutableArray<string> ApiRoutes { get; init; } = [];

    /// <summary>Clusters the API has created, changed or deleted.</summary>
    public ImmutableArray<string> ApiClusters { get; init; } = [];

    public static PersistedStateDocument From(StoredState stored, DateTimeOffset savedAt) => new()
    {
        Version = stored.State.Version,
        SavedAt = savedAt,
        Listeners = [.. stored.State.Listeners.Values],
        Routes = [.. stored.State.Routes.Values],
        Clusters = [.. stored.State.Clusters.Values],
        ApiRoutes = [.. stored.Ownership.Routes],
        ApiClusters = [.. stored.Ownership.Clusters],
    };

    public StoredState ToStoredState()
    {
        var state = DesiredState.Empty with
        {
            Version = Version,
            Listeners = DesiredState.Empty.Listeners.AddRange(Listeners.Select(l => KeyValuePair.Create(l.Name, l))),
            Routes = DesiredState.Empty.Routes.AddRange(Routes.Select(r => KeyValuePair.Create(r.Name, r))),
            Clusters = DesiredState.Empty.Clusters.AddRange(Clusters.Select(c => KeyValuePair.Create(c.Name, c))),
        };
        var ownership = new ApiOwnership
        {
            Routes = ApiOwnership.None.Routes.Union(ApiRoutes),
            Clusters = ApiOwnership.None.Clusters.Union(ApiClusters),
        };
        return new StoredState(state, ownership);
    }
}
