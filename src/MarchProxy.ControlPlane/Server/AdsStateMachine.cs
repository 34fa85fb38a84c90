using System.Globalization;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// The one place that decides what an ADS stream sends. Pure and synchronous: no I/O, no clock, no
/// locks, one instance per stream, driven by one loop. Inputs are decoded requests
/// (<see cref="Handle"/>) and snapshots (<see cref="Reconcile"/>); outputs are <see cref="AdsEffect"/>s.
/// State of the world and delta share it; <c>incremental</c> selects delta's semantics (subscriptions
/// change by difference, responses carry changes) over state of the world's (whole subscriptions,
/// whole responses).
/// </summary>
/// <remarks>
/// Per type it holds the subscription, the ACKed view and at most one response in flight. The view
/// changes on ACK (and when the client drops what it unsubscribes from), never on send; a NACK
/// discards the response in flight and marks its content rejected, which is not sent again until it
/// changes. A reconcile pass sends additions in push order (CDS, EDS, LDS, RDS), each type its own
/// response; a listener or route configuration waits while a cluster it uses is not warm on the
/// client (<see cref="ReferenceGates"/>). Removals wait until no other type has anything in flight or
/// pending, and go out in reverse order, one type at a time. A CDS update is followed by fresh EDS for
/// the clusters it changed.
/// </remarks>
internal sealed class AdsStateMachine(bool incremental)
{
    private static readonly int ClusterIndex = ResourceTypes.IndexOf(ResourceTypes.Cluster);
    private static readonly int EndpointIndex = ResourceTypes.IndexOf(ResourceTypes.Endpoint);

    private readonly TypeState?[] _types = new TypeState?[ResourceTypes.PushOrder.Count];

    // Reused by every reconcile pass (one pass at a time: the machine has one caller).
    private readonly TypePlan?[] _plans = new TypePlan?[ResourceTypes.PushOrder.Count];
    private Func<int, TypeState?>? _typeOf;
    private long _nonce;

    public bool Incremental => incremental;

    /// <summary>The state of the type at <paramref name="index"/> in push order, once the client asked for it.</summary>
    public TypeState? Type(int index) => _types[index];

    public void Handle(AdsRequest request, List<AdsEffect> effects)
    {
        var index = ResourceTypes.IndexOf(request.TypeUrl);
        if (index < 0)
        {
            effects.Add(new UnknownTypeEffect(request.TypeUrl));
            return;
        }

        var type = _types[index] ??= new TypeState(request.TypeUrl, incremental);
        var nonce = request.ResponseNonce;
        if (incremental)
        {
            // Delta: subscription changes count whatever the nonce; an ACK or NACK only for the latest.
            if (nonce.Length > 0)
            {
                if (type.Answers(nonce))
                {
                    effects.Add(request.Error is null ? type.Ack() : type.Nack(request.Error));
                }
                else if (!string.Equals(nonce, type.LatestNonce, StringComparison.Ordinal))
                {
                    effects.Add(new StaleNonceEffect(type.TypeUrl, nonce, type.LatestNonce ?? string.Empty));
                }
            }

            AddIfAny(effects, type.ApplyDelta(request));
            return;
        }

        // State of the world: a request with a stale nonce is ignored whole (its names come again with
        // the next one). Before the first response of a type any nonce goes: a client that reconnects
        // may echo its previous stream's.
        if (type.LatestNonce is { } latest && !string.Equals(nonce, latest, StringComparison.Ordinal))
        {
            effects.Add(new StaleNonceEffect(type.TypeUrl, nonce, latest));
            return;
        }

        if (type.Answers(nonce))
        {
            effects.Add(request.Error is null ? type.Ack() : type.Nack(request.Error));
        }

        AddIfAny(effects, type.ApplyNames(request.Names ?? []));
    }

    public void Reconcile(Snapshot snapshot, List<AdsEffect> effects)
    {
        var plans = _plans;
        Array.Clear(plans);
        PlanFrom(0, plans, snapshot);
        for (var i = 0; i < _types.Length; i++)
        {
            // A first request is answered even with nothing to send, unless what it asks for is on its way.
            if (_types[i] is not { Subscribed: true, InFlight: null } type
                || !(plans[i]!.HasAdditions || (type.MustRespond && plans[i]!.Gated.Count == 0)))
            {
                continue;
            }

            if (Send(type, plans[i]!, RemovalsAllowed(i, plans), snapshot, effects))
            {
                if (i == ClusterIndex && _types[EndpointIndex] is { Subscribed: true } endpoints)
                {
                    ForceEndpoints(endpoints, plans[i]!.Upserts);
                }

                // What is in flight now changes what the later types may send.
                PlanFrom(i + 1, plans, snapshot);
            }
        }

        for (var i = _types.Length - 1; i >= 0; i--)
        {
            if (_types[i] is { Subscribed: true, InFlight: null } type && plans[i]!.Removals.Count > 0 && RemovalsAllowed(i, plans))
            {
                Send(type, plans[i]!, removalsAllowed: true, snapshot, effects);
            }
        }

        var settled = Settled(plans);
        for (var i = 0; i < _types.Length; i++)
        {
            if (_types[i] is { Subscribed: true, InFlight: null, MustRespond: false } type)
            {
                Report(type, plans[i]!, settled, snapshot, effects);
            }
        }
    }

    /// <summary>Plans every subscribed type from push-order position <paramref name="first"/> on.</summary>
    private void PlanFrom(int first, TypePlan?[] plans, Snapshot snapshot)
    {
        var gates = new ReferenceGates(_typeOf ??= Type, snapshot);
        for (var i = first; i < _types.Length; i++)
        {
            if (_types[i] is { Subscribed: true } type)
            {
                plans[i] = TypePlanner.Plan(type, snapshot, gates);
            }
        }
    }

    private static void AddIfAny(List<AdsEffect> effects, AdsEffect? effect)
    {
        if (effect is not null)
        {
            effects.Add(effect);
        }
    }

    /// <summary>Removals of type <paramref name="index"/> wait while any other type has a response in flight or additions pending.</summary>
    private bool RemovalsAllowed(int index, TypePlan?[] plans)
    {
        for (var i = 0; i < _types.Length; i++)
        {
            if (i != index && _types[i] is { Subscribed: true } other && (other.InFlight is not null || plans[i]!.Pending))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Envoy warms an updated EDS cluster until it gets EDS again, even if the endpoints did not change.</summary>
    private static void ForceEndpoints(TypeState endpoints, IReadOnlyList<CachedResource> clusters)
    {
        foreach (var cluster in clusters)
        {
            if (cluster.EdsName is { } edsName && endpoints.Includes(edsName) && endpoints.Held.Contains(edsName))
            {
                endpoints.ForceResend(edsName);
            }
        }
    }

    /// <summary>Builds and sends the type's response; false when all it would change is content the client rejected.</summary>
    private bool Send(TypeState type, TypePlan plan, bool removalsAllowed, Snapshot snapshot, List<AdsEffect> effects)
    {
        IReadOnlyList<CachedResource> resources;
        IReadOnlyList<string> removed;
        string version;
        bool complete;
        HeldBack? heldBack;
        if (incremental)
        {
            resources = plan.Upserts;
            removed = removalsAllowed ? [.. plan.Removals.Concat(plan.Notices).Order(StringComparer.Ordinal)] : plan.Notices;
            version = snapshot.Version.ToString(CultureInfo.InvariantCulture);
            complete = plan.Gated.Count == 0 && plan.Rejected == 0 && plan.StillUsed.Count == 0 && (removalsAllowed || plan.Removals.Count == 0);
            heldBack = plan.HeldBack;
        }
        else
        {
            resources = SotwContent.Build(type, plan, removalsAllowed, out var staged);
            if (!type.MustRespond && !SotwContent.HasNews(type, resources))
            {
                plan.SkippedAsRejected = true;
                return false;
            }

            removed = [];
            heldBack = plan.HeldBack;
            version = staged || heldBack is not null ? plan.Set.Version + SotwContent.StagedSuffix : plan.Set.Version;
            complete = !staged;
        }

        var nonce = (++_nonce).ToString(CultureInfo.InvariantCulture);
        type.Sent(new InFlightResponse(nonce, snapshot, resources, removed, complete, heldBack));
        effects.Add(new SendEffect(new AdsResponse(type.TypeUrl, nonce, snapshot, version, resources, removed)));
        return true;
    }

    /// <summary>
    /// Whether what the client rejected of <paramref name="type"/> is still something it needs: always
    /// for a wildcard or for listeners (the roots), and for a name asked for explicitly (as gRPC asks
    /// for a route's clusters) only while a resource the client may run still refers to it; otherwise
    /// the client is about to drop its interest, and the type will be in sync.
    /// </summary>
    private bool RejectionStillMatters(TypeState type, Snapshot snapshot)
    {
        var rejected = type.Rejected.Names.Where(type.Names.Contains).ToHashSet(StringComparer.Ordinal);
        if (type.Wildcard || type.TypeUrl == ResourceTypes.Listener || rejected.Count == 0)
        {
            return true;
        }

        var (parents, targets) = type.TypeUrl switch
        {
            ResourceTypes.Cluster => (new[] { ResourceTypes.Route, ResourceTypes.Listener }, (Func<CachedResource, IEnumerable<string>>)(r => r.References.Clusters)),
            ResourceTypes.Endpoint => ([ResourceTypes.Cluster], r => r.EdsName is null ? [] : [r.EdsName]),
            _ => ([ResourceTypes.Listener], r => r.References.RouteConfigs),
        };
        foreach (var parentType in parents)
        {
            if (_types[ResourceTypes.IndexOf(parentType)] is not { Subscribed: true } parent)
            {
                continue;
            }

            // State of the world, before the parent's first ACK on this stream: what the client runs is unknown.
            if (!parent.Incremental && !parent.EverAcked)
            {
                return true;
            }

            var set = snapshot.Get(parentType);
            foreach (var (name, held) in parent.Held.Entries.Where(e => e.Value.IsPresent))
            {
                // A version declared on reconnect has no resource here: the snapshot's, if it is that one.
                var resource = held.Resource ?? (set.Find(name) is { } current && current.Version == held.Version ? current : null);
                if (resource is null || targets(resource).Any(rejected.Contains))
                {
                    return true;
                }
            }

            // The client may run the valid part of a response it rejected.
            if (parent.Rejected.Names.Select(parent.Rejected.Resource).OfType<CachedResource>().Any(r => targets(r).Any(rejected.Contains)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// No type has a response in flight or anything on its way: the client will not change its mind by
    /// itself (a response it has yet to read may make it drop interest in what it rejected).
    /// </summary>
    private bool Settled(TypePlan?[] plans)
    {
        for (var i = 0; i < _types.Length; i++)
        {
            if (_types[i] is { Subscribed: true } type && (type.InFlight is not null || plans[i]!.Pending))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Tells the ledger, once per snapshot, that a quiet type is in sync, or, once the stream has
    /// settled, that nothing will bring it to the snapshot: only content the client rejected separates
    /// them, or removals that wait for listeners or route configurations it keeps because it rejected
    /// their update.
    /// </summary>
    private void Report(TypeState type, TypePlan plan, bool settled, Snapshot snapshot, List<AdsEffect> effects)
    {
        bool rejected;
        if (plan.InSync || plan.InSyncButHeldBack)
        {
            rejected = false;
        }
        else if (settled && (plan.OnlyRejected || (!plan.Pending && plan.Removals.Count == 0 && plan.StillUsed.Count > 0))
            && RejectionStillMatters(type, snapshot))
        {
            rejected = true;
        }
        else
        {
            return;
        }

        if (type.Reported is { } last && ReferenceEquals(last.Snapshot, snapshot) && last.Rejected == rejected)
        {
            return;
        }

        type.Reported = (snapshot, rejected);
        effects.Add(rejected ? new StillRejectedEffect(type.TypeUrl, snapshot) : new InSyncEffect(type.TypeUrl, snapshot, plan.HeldBack));
    }
}
