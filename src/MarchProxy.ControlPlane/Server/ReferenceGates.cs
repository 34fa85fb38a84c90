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
    private Used? _usedClusters;
    private Used? _usedRouteConfigs;

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
        ResourceTypes.Cluster => (_usedClusters ??= Collect(static r => r.Clusters)).MayUse(name),
        ResourceTypes.Route => (_usedRouteConfigs ??= Collect(static r => r.RouteConfigs)).MayUse(name),
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

        if (!HoldsForSure(clusters, clusterName, out var held))
        {
            return IsSettledRejection(clusters, current);
        }

        // A version declared on reconnect has no resource here. If the client rejected the current one,
        // it keeps running what it declared, and nothing better can be sent; otherwise the current one
        // is what it will run.
        if (held.Resource is null && held.Version != current.Version && IsSettledRejection(clusters, current))
        {
            return true;
        }

        var edsName = (held.Resource ?? current).EdsName;
        var endpoints = types(ResourceTypes.IndexOf(ResourceTypes.Endpoint));
        var assignment = edsName is null ? null : snapshot.Endpoints.Find(edsName);
        return assignment is null
            || endpoints is not { Subscribed: true }
            || HoldsForSure(endpoints, assignment.Name, out _)
            || IsSettledRejection(endpoints, assignment);
    }

    /// <summary>The client rejected <paramref name="resource"/>, and no response carrying it again is waiting for an answer.</summary>
    private static bool IsSettledRejection(TypeState type, CachedResource resource) =>
        WasRejected(type, resource) && type.InFlight?.Resources.Any(r => r.Name == resource.Name) != true;

    /// <summary>
    /// Every name a listener or route configuration the client may run uses: the versions it holds and
    /// those of responses it rejected. When the stream cannot know what one of them uses (a version
    /// from initial_resource_versions that is not the snapshot's, a subscribed resource this stream has
    /// not delivered yet, or, in state of the world, anything before the type's first ACK on this
    /// stream, since the client may still run what an earlier stream gave it), the answer is "unknown",
    /// and nothing it might use is removed until it is known.
    /// </summary>
    private Used Collect(Func<ResourceReferences, IReadOnlyList<string>> targets)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var typeUrl in new[] { ResourceTypes.Listener, ResourceTypes.Route })
        {
            if (types(ResourceTypes.IndexOf(typeUrl)) is not { Subscribed: true } users)
            {
                continue;
            }

            // State of the world: until the client ACKs a response of the type on this stream, it may
            // run what an earlier stream gave it (the request says nothing of it); and a route
            // configuration it asks for that neither exists nor is held may be one it still runs from
            // before (a response that omits it deletes nothing).
            var set = snapshot.Get(typeUrl);
            if (!users.Incremental
                && (!users.EverAcked || (!users.IsFullState && users.Names.Any(n => !set.Contains(n) && !users.Held.Contains(n)))))
            {
                return new Used(Names: null);
            }

            var names = users.Held.Entries.Where(e => e.Value.IsPresent).Select(e => e.Key)
                .Concat(TypePlanner.Desired(users, set).Select(r => r.Name))
                .Distinct(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var versions = PossibleVersions(users, name, set).ToList();
                if (versions.Count == 0 || versions.Contains(null))
                {
                    return new Used(Names: null);
                }

                foreach (var resource in versions)
                {
                    used.UnionWith(targets(resource!.References));
                }
            }
        }

        return new Used(used);
    }

    /// <summary>The client rejected <paramref name="resource"/> as it is now, on this stream.</summary>
    private static bool WasRejected(TypeState type, CachedResource resource) => type.Rejected.Has(resource.Name, resource.Version);

    /// <summary>
    /// What the client holds under <paramref name="name"/> and keeps once the response in flight is
    /// answered either way: held now, and not removed (or left out of a state-of-the-world response) by it.
    /// </summary>
    private static bool HoldsForSure(TypeState type, string name, out HeldResource held)
    {
        if (!type.Held.TryGet(name, out held) || !held.IsPresent)
        {
            return false;
        }

        return type.InFlight is not { } response
            || (type.Incremental ? !response.Removed.Contains(name) : response.Resources.Any(r => r.Name == name));
    }

    /// <summary>
    /// Every version of <paramref name="name"/> the client may run: the one it holds, and the one of a
    /// response it rejected (Envoy applies the valid part of a response it rejects). Null entries are
    /// versions whose content this stream does not know.
    /// </summary>
    private static IEnumerable<CachedResource?> PossibleVersions(TypeState type, string name, ResourceSet set)
    {
        if (type.Held.TryGet(name, out var held) && held.IsPresent)
        {
            yield return held.Resource ?? (set.Find(name) is { } current && current.Version == held.Version ? current : null);
        }

        if (type.Rejected.Resource(name) is { } rejected)
        {
            yield return rejected;
        }
    }

    /// <summary>The names in use, or null when they cannot all be known (then anything may be).</summary>
    private sealed record Used(HashSet<string>? Names)
    {
        public bool MayUse(string name) => Names is null || Names.Contains(name);
    }
}
