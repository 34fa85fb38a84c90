using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Make-before-break for one reconcile pass, read from what the client has ACKed only. A listener or
/// route configuration waits while a cluster it uses is not warm on the client: the cluster is not
/// held yet, or it is an EDS cluster whose endpoints are not held yet. A held cluster or route
/// configuration is not removed while a held listener or route configuration still uses it. Content
/// the client rejected never makes anything wait, and a name the client does not ask for (a gRPC
/// client asks for a route's clusters only after it has the route) is not waited for.
/// </summary>
internal sealed class ReferenceGates(Func<int, TypeState?> types, Snapshot snapshot)
{
    private HashSet<string>? _usedClusters;
    private HashSet<string>? _usedRouteConfigs;

    /// <summary>A listener or route configuration that uses a cluster the client does not hold warm.</summary>
    public bool Waits(TypeState type, CachedResource resource)
    {
        if (type.TypeUrl is not (ResourceTypes.Listener or ResourceTypes.Route))
        {
            return false;
        }

        foreach (var cluster in resource.References.Clusters)
        {
            if (!IsWarm(cluster))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A held resource of <paramref name="typeUrl"/> that a held listener or route configuration still
    /// uses. A cluster's own endpoints are not counted: they go first, in reverse push order, and
    /// Envoy ignores an EDS removal anyway.
    /// </summary>
    public bool StillUsed(string typeUrl, string name) => typeUrl switch
    {
        ResourceTypes.Cluster => UsedClusters().Contains(name),
        ResourceTypes.Route => UsedRouteConfigs().Contains(name),
        _ => false,
    };

    private bool IsWarm(string clusterName)
    {
        var clusters = types(ResourceTypes.IndexOf(ResourceTypes.Cluster));
        var current = snapshot.Clusters.Find(clusterName);
        if (clusters is not { Subscribed: true } || current is null || !clusters.Includes(clusterName))
        {
            return true;
        }

        if (!clusters.Held.TryGet(clusterName, out var held) || !held.IsPresent)
        {
            return clusters.WasRejected(current);
        }

        var edsName = (held.Resource ?? (held.Version == current.Version ? current : null))?.EdsName;
        var endpoints = types(ResourceTypes.IndexOf(ResourceTypes.Endpoint));
        var assignment = edsName is null ? null : snapshot.Endpoints.Find(edsName);
        return assignment is null
            || endpoints is not { Subscribed: true }
            || endpoints.Held.VersionOf(assignment.Name) is not null
            || endpoints.WasRejected(assignment);
    }

    private HashSet<string> UsedClusters() => _usedClusters ??= Collect(static r => r.Clusters);

    private HashSet<string> UsedRouteConfigs() => _usedRouteConfigs ??= Collect(static r => r.RouteConfigs);

    private HashSet<string> Collect(Func<ResourceReferences, IReadOnlyList<string>> targets)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var typeUrl in new[] { ResourceTypes.Listener, ResourceTypes.Route })
        {
            if (types(ResourceTypes.IndexOf(typeUrl)) is not { } users)
            {
                continue;
            }

            var set = snapshot.Get(typeUrl);
            foreach (var (name, held) in users.Held.Entries)
            {
                // A version from initial_resource_versions has no resource: the snapshot's, if it is the same.
                var resource = held.Resource ?? (set.Find(name) is { } current && current.Version == held.Version ? current : null);
                if (resource is not null)
                {
                    used.UnionWith(targets(resource.References));
                }
            }
        }

        return used;
    }
}
