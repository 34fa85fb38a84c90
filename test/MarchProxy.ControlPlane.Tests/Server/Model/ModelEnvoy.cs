using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Server;

namespace MarchProxy.ControlPlane.Tests.Server.Model;

/// <summary>
/// A model xDS client that behaves like Envoy (wildcard CDS and LDS, then EDS for the EDS clusters it
/// runs and RDS for the route configurations its listeners name) or, with named clusters, like gRPC
/// (listeners by name, then route configurations, clusters and endpoints by name). It answers every
/// response: a response with a poisoned resource (or one the run decides to reject whole) is NACKed,
/// and in "single" mode the valid part is applied anyway, as Envoy does. Subscription changes a
/// response causes are sent before its ACK or NACK, as Envoy does.
/// </summary>
internal sealed class ModelEnvoy
{
    private readonly ModelType[] _types = [.. ResourceTypes.PushOrder.Select(t => new ModelType(t))];

    public ModelEnvoy(bool delta, bool namedClusters, bool nackSingle, bool explicitWildcard)
    {
        Delta = delta;
        NamedClusters = namedClusters;
        NackSingle = nackSingle;
        ExplicitWildcard = explicitWildcard;
    }

    public bool Delta { get; }

    public bool NamedClusters { get; }

    public bool NackSingle { get; }

    public bool ExplicitWildcard { get; }

    /// <summary>Requests written and not yet read by the server.</summary>
    public Queue<AdsRequest> Outbox { get; } = new();

    /// <summary>It NACKed a response on this stream.</summary>
    public bool NackedOnStream { get; private set; }

    public ModelType Type(string typeUrl) => _types[ResourceTypes.IndexOf(typeUrl)];

    public IEnumerable<ModelType> Types => _types;

    public void Start()
    {
        if (NamedClusters)
        {
            Subscribe(Type(ResourceTypes.Listener), new SortedSet<string>(["l0", "l1"], StringComparer.Ordinal));
        }
        else
        {
            Subscribe(Type(ResourceTypes.Cluster), null);
            Subscribe(Type(ResourceTypes.Listener), null);
        }
    }

    /// <summary>Reads one response: applies what it accepts, follows references, then ACKs or NACKs.</summary>
    public void Receive(AdsResponse response, bool rejectWhole)
    {
        var type = Type(response.TypeUrl);
        type.Nonce = response.Nonce;
        var rejected = rejectWhole
            ? response.Resources.ToList()
            : response.Resources.Where(r => ModelConfig.IsPoisoned(r.Message)).ToList();
        var rejecting = rejectWhole || rejected.Count > 0;
        if (!rejecting)
        {
            type.Apply(response, response.Resources, Delta);
            type.Acknowledge(response, Delta);
            foreach (var name in response.Resources.Select(r => r.Name).Concat(response.Removed))
            {
                type.Tainted.Remove(name);
            }
        }
        else
        {
            NackedOnStream = true;
            if (type.TypeUrl == ResourceTypes.Route)
            {
                type.RecordRejectedHosts(response, Delta);
            }

            if (NackSingle && !rejectWhole)
            {
                type.Apply(response, [.. response.Resources.Except(rejected)], Delta);
            }

            foreach (var resource in response.Resources)
            {
                type.Taint(resource.Name, resource.Version);
                type.RejectedResources[resource.Name] = resource;
                if (Delta || type.Acknowledged.GetValueOrDefault(resource.Name)?.Version != resource.Version)
                {
                    type.NotAgain[resource.Name] = resource.Version;
                }
            }

            // Delta names its removals; a state-of-the-world LDS or CDS response removes what it lacks.
            var removals = Delta || !type.IsFullState
                ? response.Removed
                : type.Applied.Keys.Union(type.Acknowledged.Keys).Except(response.Resources.Select(r => r.Name)).ToList();
            foreach (var name in removals)
            {
                type.Taint(name, string.Empty);
                type.NotAgain[name] = string.Empty;
            }
        }

        UpdateWarmClusters();
        FollowReferences();
        var error = rejecting ? $"rejected [{string.Join(", ", rejected.Select(r => r.Name))}]" : null;
        Outbox.Enqueue(Delta
            ? new AdsRequest { TypeUrl = type.TypeUrl, ResponseNonce = response.Nonce, Error = error }
            : new AdsRequest { TypeUrl = type.TypeUrl, ResponseNonce = response.Nonce, Error = error, Names = SotwNames(type) });
        if (error is null && !Delta)
        {
            type.AcceptedVersion = response.TypeVersion;
        }
    }

    /// <summary>The run is quiet: what the client dropped itself has settled.</summary>
    public void Quiet()
    {
        foreach (var type in _types)
        {
            type.Dropped.Clear();
        }
    }

    /// <summary>The stream broke and a new one opens: the client keeps what it runs and asks again, with the versions it holds.</summary>
    public void Reconnect()
    {
        Outbox.Clear();
        NackedOnStream = false;
        // A type it asks nothing of is not asked for at all: an empty first request would be the wildcard.
        foreach (var type in _types.Where(t => t.Subscribed))
        {
            type.NewStream();
            if (type.Names is { Count: 0 })
            {
                type.Subscribed = false;
                continue;
            }

            if (!Delta)
            {
                Outbox.Enqueue(new AdsRequest { TypeUrl = type.TypeUrl, Names = SotwNames(type) });
                continue;
            }

            // Once a name was asked for next to the wildcard, the wildcard must be named too.
            var names = type.Names is null ? (ExplicitWildcard || type.Extra.Count > 0 ? ["*"] : []) : type.Names.ToList();

            // The server takes what the client declares it holds as held.
            foreach (var resource in type.Applied.Values)
            {
                type.Acknowledged[resource.Name] = resource;
                type.Declared.Add(resource.Name);
            }

            Outbox.Enqueue(new AdsRequest
            {
                TypeUrl = type.TypeUrl,
                Subscribe = [.. names, .. type.Extra],
                InitialVersions = type.Applied.Values.ToDictionary(r => r.Name, r => r.Version),
            });
        }
    }

    /// <summary>Delta: asks again for a resource it holds (the server must send it again).</summary>
    public string SubscribeAgain(int arg)
    {
        var candidates = _types.Where(t => t.Subscribed && t.Names is not null).SelectMany(t => t.Applied.Keys.Select(n => (t, n))).ToList();
        if (!Delta || candidates.Count == 0)
        {
            return "subscribe again: nothing";
        }

        var (type, name) = candidates[arg % candidates.Count];
        type.NotAgain.Remove(name);
        type.HeldBackHosts.Remove(name);
        Outbox.Enqueue(new AdsRequest { TypeUrl = type.TypeUrl, Subscribe = [name] });
        return $"subscribe again {ResourceTypes.ShortName(type.TypeUrl)} {name}";
    }

    /// <summary>Delta: adds cluster c{arg} by name next to the CDS wildcard, or drops that name again.</summary>
    public string ToggleExplicitCluster(int arg)
    {
        var clusters = Type(ResourceTypes.Cluster);
        if (!Delta || NamedClusters || !clusters.Subscribed)
        {
            return "explicit cluster: nothing";
        }

        var name = clusters.Extra.Count > 0 ? clusters.Extra.Min! : $"c{arg % 4}";
        clusters.NotAgain.Remove(name);
        if (clusters.Extra.Remove(name))
        {
            // The client drops what it unsubscribes from, even if the wildcard covers it.
            if (clusters.Applied.Remove(name, out var dropped))
            {
                // So are its endpoints, which it unsubscribes from below.
                clusters.Dropped.Add(name);
                if (dropped.EdsName is { } edsName)
                {
                    Type(ResourceTypes.Endpoint).Dropped.Add(edsName);
                }
            }

            clusters.Acknowledged.Remove(name);
            Outbox.Enqueue(new AdsRequest { TypeUrl = ResourceTypes.Cluster, Unsubscribe = [name] });
            UpdateWarmClusters();
            FollowReferences();
            return $"unsubscribe explicit {name}";
        }

        clusters.Extra.Add(name);
        Outbox.Enqueue(new AdsRequest { TypeUrl = ResourceTypes.Cluster, Subscribe = [name] });
        return $"subscribe explicit {name}";
    }

    public static string Content(IEnumerable<CachedResource> resources) => string.Join(",", resources.Select(r => $"{r.Name}@{r.Version}"));

    private List<string> SotwNames(ModelType type) => type.Names is null ? (ExplicitWildcard ? ["*"] : []) : [.. type.Names];

    private void UpdateWarmClusters()
    {
        var clusters = Type(ResourceTypes.Cluster);
        var endpoints = Type(ResourceTypes.Endpoint);
        clusters.Warm.IntersectWith(clusters.Applied.Keys);
        foreach (var cluster in clusters.Applied.Values)
        {
            if (cluster.EdsName is null || endpoints.Applied.ContainsKey(cluster.EdsName))
            {
                clusters.Warm.Add(cluster.Name);
            }
        }
    }

    /// <summary>Subscribes to what the resources it runs refer to, like Envoy's cluster and listener managers.</summary>
    private void FollowReferences()
    {
        // Until nothing changes: dropping a route configuration drops interest in its clusters, and so on.
        var changed = true;
        while (changed)
        {
            changed = Follow(ResourceTypes.Listener, ResourceTypes.Route, r => r.References.RouteConfigs);
            if (NamedClusters)
            {
                changed |= Follow(ResourceTypes.Route, ResourceTypes.Cluster, r => r.References.Clusters);
            }

            changed |= Follow(ResourceTypes.Cluster, ResourceTypes.Endpoint, r => r.EdsName is null ? [] : [r.EdsName]);
        }
    }

    private bool Follow(string fromType, string toType, Func<CachedResource, IEnumerable<string>> targets)
    {
        var names = new SortedSet<string>(Type(fromType).Applied.Values.SelectMany(targets), StringComparer.Ordinal);
        var type = Type(toType);
        if (type.Subscribed ? type.Names!.SetEquals(names) : names.Count == 0)
        {
            return false;
        }

        Subscribe(type, names);
        return true;
    }

    private void Subscribe(ModelType type, SortedSet<string>? names)
    {
        var before = type.Subscribed ? type.Names : [];
        type.Subscribed = true;
        type.Names = names;
        if (!Delta && !type.IsFullState)
        {
            foreach (var name in type.NotAgain.Keys.Where(n => !(before ?? []).Contains(n) || !type.Includes(n)).ToList())
            {
                type.NotAgain.Remove(name);
            }
        }

        // The server forgets the hosts it held back of a route configuration the client drops or asks for anew.
        foreach (var name in type.HeldBackHosts.Keys.Where(n => !(before ?? []).Contains(n) || !type.Includes(n)).ToList())
        {
            type.HeldBackHosts.Remove(name);
        }

        if (names is not null)
        {
            foreach (var gone in type.Applied.Keys.Where(n => !type.Includes(n)).ToList())
            {
                type.Applied.Remove(gone);
                type.Acknowledged.Remove(gone);
                type.NotAgain.Remove(gone);
            }
        }

        if (!Delta)
        {
            Outbox.Enqueue(new AdsRequest { TypeUrl = type.TypeUrl, ResponseNonce = type.Nonce, Names = SotwNames(type) });
            return;
        }

        var after = names ?? (ExplicitWildcard ? ["*"] : []);
        var subscribe = after.Except(before ?? []).ToList();
        var unsubscribe = (before ?? []).Except(after).ToList();
        subscribe.ForEach(n => type.NotAgain.Remove(n));
        Outbox.Enqueue(new AdsRequest { TypeUrl = type.TypeUrl, Subscribe = subscribe, Unsubscribe = unsubscribe });
    }
}
