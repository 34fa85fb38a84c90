using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.Load.Ads;

/// <summary>
/// A client's view of its resources, enough to follow references like Envoy: clusters with their EDS
/// names, listeners with their RDS names, and which assignments and route configurations arrived. A
/// response is decoded whole before anything changes, so a NACKed response leaves the view as it was.
/// </summary>
internal sealed class ClientView(string probeBlue, string probeGreen)
{
    private readonly Dictionary<string, string?> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _listeners = new(StringComparer.Ordinal);

    public SyncState Sync { get; } = new();

    /// <summary>Delta: the version of every held resource, sent back in initial_resource_versions on reconnect.</summary>
    public Dictionary<string, Dictionary<string, string>> Versions { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Applies one response of <paramref name="typeUrl"/>. <paramref name="replaceAll"/> is state of the
    /// world, where a response lists every resource of its type. Returns the probe key when an RDS
    /// response carries the probe route. Throws <see cref="InvalidDataException"/> when a resource does
    /// not decode (the caller NACKs).
    /// </summary>
    public string? Apply(string typeUrl, IReadOnlyList<(string? Name, string? Version, Any Resource)> resources, IReadOnlyList<string> removed, bool replaceAll)
    {
        string? probe = null;
        switch (typeUrl)
        {
            case TypeUrls.Cluster:
                var clusters = resources.Select(r => ResourceReader.ReadCluster(r.Resource)).ToList();
                Replace(_clusters, clusters.Select(c => KeyValuePair.Create(c.Name, c.EdsName)), removed, replaceAll);
                Reset(Sync.EdsWanted, _clusters.Values.OfType<string>());
                break;
            case TypeUrls.Listener:
                var listeners = resources.Select(r => ResourceReader.ReadListener(r.Resource)).ToList();
                Replace(_listeners, listeners.Select(l => KeyValuePair.Create(l.Name, l.RdsNames)), removed, replaceAll);
                Reset(Sync.RdsWanted, _listeners.Values.SelectMany(n => n));
                break;
            case TypeUrls.Endpoint:
                var assignments = resources.Select(r => ResourceReader.ReadEndpoints(r.Resource)).ToList();
                Hold(Sync.EdsHeld, assignments, removed, replaceAll);
                break;
            case TypeUrls.Route:
                var routes = resources.Select(r => ResourceReader.ReadRoutes(r.Resource, probeBlue, probeGreen)).ToList();
                Hold(Sync.RdsHeld, routes.Select(r => r.Name), removed, replaceAll);
                probe = routes.Select(r => r.ProbeKey).LastOrDefault(k => k is not null);
                break;
            default:
                throw new InvalidDataException($"unexpected type {typeUrl}");
        }

        RecordVersions(typeUrl, resources, removed);
        Sync.Answered(typeUrl);
        return probe;
    }

    /// <summary>The names this client subscribes to for EDS or RDS, in a stable order.</summary>
    public IReadOnlyList<string> Wanted(string typeUrl) => typeUrl switch
    {
        TypeUrls.Endpoint => [.. Sync.EdsWanted.Order(StringComparer.Ordinal)],
        TypeUrls.Route => [.. Sync.RdsWanted.Order(StringComparer.Ordinal)],
        _ => [],
    };

    private void RecordVersions(string typeUrl, IReadOnlyList<(string? Name, string? Version, Any Resource)> resources, IReadOnlyList<string> removed)
    {
        if (!resources.Any(r => r.Version is not null) && removed.Count == 0)
        {
            return;
        }

        if (!Versions.TryGetValue(typeUrl, out var versions))
        {
            Versions[typeUrl] = versions = new(StringComparer.Ordinal);
        }

        foreach (var name in removed)
        {
            versions.Remove(name);
        }

        foreach (var (name, version, _) in resources)
        {
            if (name is not null && version is not null)
            {
                versions[name] = version;
            }
        }
    }

    private static void Replace<T>(Dictionary<string, T> store, IEnumerable<KeyValuePair<string, T>> items, IReadOnlyList<string> removed, bool replaceAll)
    {
        if (replaceAll)
        {
            store.Clear();
        }

        foreach (var name in removed)
        {
            store.Remove(name);
        }

        foreach (var (name, value) in items)
        {
            store[name] = value;
        }
    }

    private static void Hold(HashSet<string> held, IEnumerable<string> names, IReadOnlyList<string> removed, bool replaceAll)
    {
        if (replaceAll)
        {
            held.Clear();
        }

        held.ExceptWith(removed);
        held.UnionWith(names);
    }

    private static void Reset(HashSet<string> set, IEnumerable<string> names)
    {
        set.Clear();
        set.UnionWith(names);
    }
}
