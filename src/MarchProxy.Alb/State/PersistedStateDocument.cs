using System.Collections.Immutable;
using System.Text.Json.Serialization;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>The JSON document in DATA_DIR: the whole desired state with its version.</summary>
public sealed record PersistedStateDocument
{
    public const int CurrentFormat = 1;

    /// <summary>The highest version a file may hold: far below long.MaxValue, so mutations always have room.</summary>
    public const long MaxVersion = (long.MaxValue / 2) - 1;

    // Format, version, routes and clusters are required when reading: a file without them (`{}`, a
    // truncated or hand-written one) must stop the start rather than be served as an empty config.
    [JsonRequired]
    public int Format { get; init; } = CurrentFormat;

    [JsonRequired]
    public long Version { get; init; }

    public DateTimeOffset SavedAt { get; init; }

    public ImmutableArray<ListenerSpec> Listeners { get; init; } = [];

    [JsonRequired]
    public ImmutableArray<RouteSpec> Routes { get; init; } = [];

    [JsonRequired]
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

    /// <summary>
    /// What makes the document unusable beyond its JSON shape: an unknown format, a version out of range,
    /// missing or repeated names. Empty when it can be restored.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        if (Format != CurrentFormat)
        {
            return [$"unknown format {Format} (this build reads format {CurrentFormat})"];
        }

        var problems = new List<string>();
        if (Version is < 0 or > MaxVersion)
        {
            problems.Add($"version {Version} is out of range (0-{MaxVersion}): it leaves no room for further changes");
        }

        CheckNames(problems, "listeners", Listeners.IsDefault ? [] : Listeners.Select(l => l?.Name));
        CheckNames(problems, "routes", Routes.IsDefault ? [] : Routes.Select(r => r?.Name));
        CheckNames(problems, "clusters", Clusters.IsDefault ? [] : Clusters.Select(c => c?.Name));
        CheckNames(problems, "apiRoutes", ApiRoutes.IsDefault ? [] : ApiRoutes);
        CheckNames(problems, "apiClusters", ApiClusters.IsDefault ? [] : ApiClusters);
        return problems;
    }

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

    private static void CheckNames(List<string> problems, string collection, IEnumerable<string?> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(name))
            {
                problems.Add($"{collection}[{index}] has no name");
            }
            else if (!seen.Add(name))
            {
                problems.Add($"{collection}[{index}]: the name '{name}' appears more than once");
            }

            index++;
        }
    }
}
