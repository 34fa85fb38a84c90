using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Server;

namespace MarchProxy.ControlPlane.Tests.Server.Model;

/// <summary>
/// The invariants of a model run. On every response the client reads: a rejected version is never
/// sent again; a new or changed listener or route configuration never arrives before a cluster it
/// uses is warm (an EDS cluster needs its endpoints; an updated one keeps its warm predecessor); nothing is removed while a listener or route configuration the client
/// runs still uses it. Once the run is quiet: the client converges to the latest snapshot minus what
/// it rejected, and the ledger says the node holds that version or rejects it, never "pending".
/// Content the client took from a response it rejected (which the server cannot know it has) is
/// exempt where noted, and so is, after a reconnect, what the client holds of a type it has not asked
/// for again yet when the response is sent.
/// </summary>
internal static class ModelChecks
{
    /// <param name="client">The client about to read the response.</param>
    /// <param name="response">The response.</param>
    /// <param name="known">What the server had heard from the client when it sent the response.</param>
    public static void BeforeReceive(ModelEnvoy client, AdsResponse response, ServerKnowledge known)
    {
        var type = client.Type(response.TypeUrl);
        NeverResent(client, type, response);
        HeldBackHostsStayBack(type, response);
        ArrivesAfterWhatItUses(client, response, known);
        RemovesNothingInUse(client, type, response, known.AnnouncedTypes);
    }

    public static void Converged(ModelEnvoy client, Snapshot snapshot, NodeTracker tracker)
    {
        foreach (var type in client.Types.Where(t => t.Subscribed))
        {
            var set = snapshot.Get(type.TypeUrl);
            foreach (var resource in set.Resources.Where(r => type.Includes(r.Name)))
            {
                var held = type.Applied.GetValueOrDefault(resource.Name);
                Check(
                    held?.Version == resource.Version
                        || (type.TypeUrl == ResourceTypes.Route ? HostsCurrentOrRejected(type, resource, held) : type.IsTainted(resource.Name, resource.Version)),
                    $"once quiet, the client lacks {Describe(type, resource.Name)}@{resource.Version} of version {snapshot.Version}, which it did not reject");
            }

            foreach (var name in type.Applied.Keys.Where(n => !set.Contains(n) || !type.Includes(n)))
            {
                var kept = (!client.Delta && !type.IsFullState)
                    || (client.Delta && type.TypeUrl == ResourceTypes.Route && type.Names is not null)
                    || type.IsTainted(name)
                    || UsedBy(client, type.TypeUrl, name, t => t.Acknowledged.Values.Concat(t.RejectedResources.Values))
                    || UnknownToServer(client, snapshot);
                Check(kept, $"once quiet, the client still holds {Describe(type, name)}, which version {snapshot.Version} no longer has");
            }
        }

        var acked = tracker.HasAcked(snapshot.Version);
        var rejected = tracker.RejectedAtOrAbove(snapshot.Version) is not null;
        Check(acked || rejected, $"once quiet, the ledger has the node pending at version {snapshot.Version}");
        if (!client.NackedOnStream)
        {
            Check(acked, $"the client rejected nothing on this stream, yet the ledger does not have it holding version {snapshot.Version}");
        }
    }

    private static void NeverResent(ModelEnvoy client, ModelType type, AdsResponse response)
    {
        if (!client.Delta)
        {
            // State of the world carries everything; what matters is what it changes (against what the client ACKed).
            // A version the client may have taken from a response it rejected counts too: it may run that.
            var news = response.Resources.Where(r => type.Acknowledged.GetValueOrDefault(r.Name)?.Version != r.Version
                    || (type.RejectedResources.TryGetValue(r.Name, out var taken) && taken.Version != r.Version))
                .Select(r => (r.Name, r.Version))
                .Concat(type.IsFullState
                    ? type.Acknowledged.Keys.Except(response.Resources.Select(r => r.Name)).Select(n => (Name: n, Version: string.Empty))
                    : [])
                .ToList();
            // LDS and CDS must carry everything, so a rejected resource comes again with any news; RDS
            // and EDS need not, so it never does.
            var again = news.Where(n => type.NotAgain.GetValueOrDefault(n.Name) == n.Version).ToList();
            Check(
                type.IsFullState ? again.Count < news.Count || news.Count == 0 : again.Count == 0,
                $"{Short(type)} response with content the client rejected ({string.Join(", ", again.Select(n => $"{n.Name}@{n.Version}"))}) was sent again");
            foreach (var resource in response.Resources)
            {
                type.NotAgain.Remove(resource.Name);
            }

            return;
        }

        foreach (var resource in response.Resources)
        {
            Check(
                type.NotAgain.GetValueOrDefault(resource.Name) != resource.Version,
                $"{Describe(type, resource.Name)}@{resource.Version}, which the client rejected, was sent again");
            type.NotAgain.Remove(resource.Name);
        }

        foreach (var name in response.Removed)
        {
            Check(type.NotAgain.GetValueOrDefault(name) != string.Empty, $"the removal of {Describe(type, name)}, which the client rejected, was sent again");
            type.NotAgain.Remove(name);
        }
    }

    /// <summary>A virtual host the client rejected (in a response that changed only its route configuration) is not sent again as it was.</summary>
    private static void HeldBackHostsStayBack(ModelType type, AdsResponse response)
    {
        foreach (var resource in response.Resources.Where(r => type.HeldBackHosts.ContainsKey(r.Name)))
        {
            foreach (var (name, content) in ModelType.HostsOf(resource))
            {
                Check(
                    type.HeldBackHosts[resource.Name].GetValueOrDefault(name) != content,
                    $"RDS {resource.Name} carries virtual host {name} as the client rejected it");
            }
        }
    }

    /// <summary>
    /// Every virtual host of the route configuration is as the client runs it, or in content it
    /// rejected; and the client runs no host the route configuration lacks. So a change to one host
    /// reaches the client even while another host's content is rejected.
    /// </summary>
    private static bool HostsCurrentOrRejected(ModelType type, CachedResource resource, CachedResource? held)
    {
        var now = ModelType.HostsOf(resource);
        var running = held is null ? [] : ModelType.HostsOf(held);
        var rejected = type.RejectedHosts.GetValueOrDefault(resource.Name) ?? [];
        return now.All(h => running.GetValueOrDefault(h.Key) == h.Value || rejected.Contains($"{h.Key}={h.Value}"))
            && running.Keys.All(now.ContainsKey);
    }

    private static void ArrivesAfterWhatItUses(ModelEnvoy client, AdsResponse response, ServerKnowledge known)
    {
        if (response.TypeUrl is not (ResourceTypes.Listener or ResourceTypes.Route))
        {
            return;
        }

        var clusters = client.Type(ResourceTypes.Cluster);
        var endpoints = client.Type(ResourceTypes.Endpoint);
        var type = client.Type(response.TypeUrl);
        foreach (var resource in response.Resources.Where(r => type.Applied.GetValueOrDefault(r.Name)?.Version != r.Version))
        {
            foreach (var cluster in resource.References.Clusters)
            {
                if (!clusters.Subscribed || !clusters.Includes(cluster) || !known.SubscribesCluster(cluster) || !response.Snapshot.Clusters.Contains(cluster)
                    || clusters.IsTainted(cluster) || clusters.Dropped.Contains(cluster))
                {
                    continue;
                }

                var where = $"{Short(type)} {resource.Name} arrived before cluster {cluster}";
                Check(clusters.Applied.TryGetValue(cluster, out var held), where);
                if (held!.EdsName is { } edsName && endpoints.Subscribed && response.Snapshot.Endpoints.Contains(edsName)
                    && !endpoints.IsTainted(edsName) && !endpoints.Dropped.Contains(edsName))
                {
                    Check(clusters.Warm.Contains(cluster), $"{where} was warm (its endpoints)");
                }
            }
        }
    }

    private static void RemovesNothingInUse(ModelEnvoy client, ModelType type, AdsResponse response, IReadOnlyCollection<string> announced)
    {
        // State of the world removes by omission, and the server can only keep what it knows the client
        // may hold (after a reconnect it knows nothing of what an earlier stream gave).
        IEnumerable<string> removed = client.Delta
            ? response.Removed.Where(type.Applied.ContainsKey)
            : type.IsFullState
                ? type.Applied.Keys.Except(response.Resources.Select(r => r.Name)).Where(n => type.Acknowledged.ContainsKey(n) || type.RejectedResources.ContainsKey(n))
                : [];
        foreach (var name in removed.ToList())
        {
            Check(
                !(client.Delta && type.TypeUrl == ResourceTypes.Route && type.Names is not null),
                $"RDS {name} was removed by name, which Envoy ignores");
            Check(
                !UsedBy(client, type.TypeUrl, name, t => announced.Contains(t.TypeUrl) ? t.Applied.Where(p => !t.IsTainted(p.Key)).Select(p => p.Value) : []),
                $"{Describe(type, name)} was removed while the client still uses it");
        }
    }

    /// <summary>A listener or route configuration among <paramref name="held"/> uses <paramref name="name"/> (not a cluster's endpoints).</summary>
    private static bool UsedBy(ModelEnvoy client, string typeUrl, string name, Func<ModelType, IEnumerable<CachedResource>> held)
    {
        var users = typeUrl switch
        {
            ResourceTypes.Cluster => held(client.Type(ResourceTypes.Listener)).Concat(held(client.Type(ResourceTypes.Route))).SelectMany(r => r.References.Clusters),
            ResourceTypes.Route => held(client.Type(ResourceTypes.Listener)).SelectMany(r => r.References.RouteConfigs),
            _ => [],
        };
        return users.Contains(name, StringComparer.Ordinal);
    }

    /// <summary>
    /// The client runs a listener or route configuration whose content the server cannot know, so the
    /// server keeps whatever it might use: delta, one declared on reconnect in a version the snapshot no
    /// longer has; state of the world, any before the type's first ACK on this stream, or a route
    /// configuration the client still asks for that neither exists nor was ACKed on this stream.
    /// </summary>
    private static bool UnknownToServer(ModelEnvoy client, Snapshot snapshot) =>
        new[] { ResourceTypes.Listener, ResourceTypes.Route }.Select(client.Type).Any(t => client.Delta
            ? t.Declared.Any(n => t.Acknowledged.TryGetValue(n, out var held) && snapshot.Get(t.TypeUrl).Find(n)?.Version != held.Version)
            : t.Subscribed && (!t.AckedOnStream || (!t.IsFullState && (t.Names ?? []).Any(n => !snapshot.Get(t.TypeUrl).Contains(n) && !t.Acknowledged.ContainsKey(n)))));

    private static string Short(ModelType type) => ResourceTypes.ShortName(type.TypeUrl);

    private static string Describe(ModelType type, string name) => $"{Short(type)} {name}";

    private static void Check(bool condition, string violation)
    {
        if (!condition)
        {
            throw new ModelViolationException(violation);
        }
    }
}
