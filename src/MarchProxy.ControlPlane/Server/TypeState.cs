using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// One stream's state for one resource type: the subscription, the ACKed view (<see cref="Held"/>), at
/// most one response in flight, what the client rejected, and names to send again. It changes only
/// through the requests it is given and the responses the state machine sends; nothing here is shared.
/// </summary>
internal sealed class TypeState(string typeUrl, bool incremental)
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private HashSet<string>? _resend;
    private bool _legacyWildcard;

    // Caches for the hot path of a fan-out, where every stream plans the same change: the subscribed
    // names in order, and the resources of one set they select. Both are rebuilt when the names change.
    private string[]? _sortedNames;
    private (ResourceSet Set, string[] Names, IReadOnlyList<CachedResource> Resources)? _subscribed;

    public string TypeUrl => typeUrl;

    public int Index { get; } = ResourceTypes.IndexOf(typeUrl);

    /// <summary>LDS and CDS: state-of-the-world responses carry every subscribed resource.</summary>
    public bool IsFullState { get; } = ResourceTypes.IsFullState(typeUrl);

    public bool Incremental => incremental;

    public bool Subscribed { get; private set; }

    public bool Wildcard { get; private set; }

    /// <summary>The names subscribed explicitly (with or without the wildcard).</summary>
    public IReadOnlySet<string> Names => _names;


    /// <summary>What the client holds: changed by ACKs, never by sending.</summary>
    public ClientView Held { get; } = new();

    public InFlightResponse? InFlight { get; private set; }

    /// <summary>The client has ACKed a response of this type on this stream (so the view is not only what it declared).</summary>
    public bool EverAcked { get; private set; }

    public string? LatestNonce { get; private set; }

    /// <summary>Answer on the next pass even with nothing new (a first request, new full-state names).</summary>
    public bool MustRespond { get; private set; }

    /// <summary>What the client rejected on this stream.</summary>
    public RejectionMemory Rejected { get; } = new();

    /// <summary>Route configurations: the virtual hosts the client rejected, held back while unchanged; null for other types.</summary>
    public VirtualHostHoldBack? HoldBack { get; } = typeUrl == ResourceTypes.Route ? new() : null;

    /// <summary>Names to send even though the client holds them (fresh EDS after CDS, a repeated subscription).</summary>
    public IReadOnlyCollection<string> Resend => _resend ?? (IReadOnlyCollection<string>)[];

    /// <summary>Changes whenever anything a plan of this type reads changes (the snapshot aside).</summary>
    public int Generation { get; private set; }

    /// <summary>The last plan that found nothing to do, the set it was made for, and this type's generation then.</summary>
    public (TypePlan Plan, ResourceSet Set, int Generation)? QuietPlan { get; set; }

    /// <summary>The last snapshot reported to the ledger, and whether as in sync (false) or still rejected (true).</summary>
    public (Snapshot Snapshot, bool Rejected)? Reported { get; set; }

    public bool Includes(string name) => Wildcard || Names.Contains(name);

    /// <summary>
    /// The resources of <paramref name="set"/> the subscription selects, in name order: the whole set
    /// for a wildcard. The list is shared and must not be changed.
    /// </summary>
    public IReadOnlyList<CachedResource> SubscribedIn(ResourceSet set)
    {
        if (Wildcard)
        {
            return set.Resources;
        }

        var names = _sortedNames ??= [.. _names.Order(StringComparer.Ordinal)];
        if (_subscribed is { } cached && ReferenceEquals(cached.Set, set) && ReferenceEquals(cached.Names, names))
        {
            return cached.Resources;
        }

        var resources = new List<CachedResource>(names.Length);
        foreach (var name in names)
        {
            if (set.Find(name) is { } resource)
            {
                resources.Add(resource);
            }
        }

        _subscribed = (set, names, resources);
        return resources;
    }

    public void ForceResend(string name)
    {
        if ((_resend ??= new(StringComparer.Ordinal)).Add(name))
        {
            Generation++;
        }
    }

    /// <summary>State of the world: the request states the whole subscription.</summary>
    public SubscriptionEffect? ApplyNames(IReadOnlyList<string> names)
    {
        var first = !Subscribed;
        if (first && names.Count == 0 && IsFullState)
        {
            _legacyWildcard = true;
        }
        else if (names.Count > 0)
        {
            // Once a name was asked for, an empty list means "nothing", not the legacy wildcard.
            _legacyWildcard = false;
        }

        var wildcard = _legacyWildcard || names.Contains("*");
        if (!first && States(names, wildcard))
        {
            // The usual request: an ACK that repeats the subscription.
            return null;
        }

        var explicitNames = names.Where(n => n != "*").ToHashSet(StringComparer.Ordinal);
        if (!first && wildcard == Wildcard && Names.SetEquals(explicitNames))
        {
            return null;
        }

        var added = (wildcard && !Wildcard) || explicitNames.Any(n => !Includes(n));
        var newNames = explicitNames.Where(n => !Names.Contains(n)).ToList();
        Subscribed = true;
        Wildcard = wildcard;
        _names.Clear();
        _names.UnionWith(explicitNames);
        _sortedNames = null;

        // What the client no longer asks for, it forgets; asked for again, it must be sent again. For
        // LDS and CDS a new subscription makes a new whole response, which may carry what a rejected
        // one did (a gRPC client applies the valid part of a response it rejects, and it may just have
        // dropped the bad part).
        Held.RemoveWhere(n => !Includes(n));
        _resend?.RemoveWhere(n => !Includes(n));
        if (IsFullState)
        {
            Rejected.Clear();
        }
        else
        {
            foreach (var name in Rejected.Names.Where(n => !Includes(n)).Concat(newNames).ToList())
            {
                Rejected.Forget(name);
            }

            foreach (var name in HoldBack?.Hosts.Select(h => h.RouteConfiguration).Where(n => !Includes(n)).Concat(newNames).ToList() ?? [])
            {
                HoldBack!.Forget(name);
            }
        }

        MustRespond |= first || (added && IsFullState);
        return SubscriptionChanged(added);
    }

    /// <summary>Delta: the request changes the subscription (and, on the first request, says what the client holds).</summary>
    public SubscriptionEffect? ApplyDelta(AdsRequest request)
    {
        var first = !Subscribed;
        var changed = first;
        var added = false;
        Subscribed = true;
        if (first && request.Subscribe.Count == 0 && IsFullState)
        {
            Wildcard = added = true;
        }

        foreach (var name in request.Subscribe)
        {
            if (name == "*")
            {
                changed |= !Wildcard;
                added |= !Wildcard;
                Wildcard = true;
                continue;
            }

            // The spec: a name subscribed again must be sent again, even if the client seems to hold it.
            var again = !first && (Names.Contains(name) || (Wildcard && Held.Contains(name)));
            if (_names.Add(name))
            {
                _sortedNames = null;
                changed = true;
                added |= !Wildcard;
            }

            if (again)
            {
                Rejected.Forget(name);
                HoldBack?.Forget(name);
                ForceResend(name);
            }
        }

        foreach (var name in request.Unsubscribe)
        {
            if (name == "*")
            {
                changed |= Wildcard;
                Wildcard = false;
                Held.RemoveWhere(n => !Names.Contains(n));
                _resend?.RemoveWhere(n => !Names.Contains(n));
            }
            else if (_names.Remove(name))
            {
                _sortedNames = null;
                // The client drops what it unsubscribes from. If the wildcard still covers the name, it
                // gets it again (or learns it is gone).
                changed = true;
                Held.Remove(name);
                Rejected.Forget(name);
                HoldBack?.Forget(name);
                if (Wildcard)
                {
                    ForceResend(name);
                }
                else
                {
                    _resend?.Remove(name);
                }
            }
        }

        if (first && request.InitialVersions is { } initial)
        {
            foreach (var (name, version) in initial)
            {
                if (Includes(name))
                {
                    Held.Set(name, new HeldResource(version, Resource: null));
                }
            }
        }

        MustRespond |= first;
        return changed ? SubscriptionChanged(added) : null;
    }

    /// <summary>Whether a request with <paramref name="nonce"/> answers the response in flight.</summary>
    public bool Answers(string nonce) => InFlight is not null && string.Equals(nonce, InFlight.Nonce, StringComparison.Ordinal);

    /// <summary>The client ACKed the response in flight: install the view it carries.</summary>
    public AckEffect Ack()
    {
        var response = InFlight!;
        InFlight = null;
        EverAcked = true;
        Generation++;
        if (incremental)
        {
            foreach (var resource in response.Resources)
            {
                Held.Set(resource.Name, HeldResource.Of(resource));
                Rejected.Forget(resource.Name);
            }

            foreach (var name in response.Removed)
            {
                if (Names.Contains(name))
                {
                    Held.Set(name, HeldResource.Absent);
                }
                else
                {
                    Held.Remove(name);
                }

                Rejected.Forget(name);
            }

            Held.RemoveWhere(n => !Includes(n));
            Held.Compact(response.Snapshot.Get(TypeUrl));
        }
        else if (IsFullState)
        {
            Held.Replace(response.Resources, response.Snapshot.Get(TypeUrl));
            Held.RemoveWhere(n => !Includes(n));
            Rejected.Clear();
        }
        else if (Held.TryAliasWhole(response.Resources, response.Snapshot.Get(TypeUrl)))
        {
            // RDS and EDS, the usual case: the response carried the whole set and the client held
            // nothing else, so it now holds exactly the set (every name in it was asked for).
            ForgetRejected(response.Resources);
        }
        else
        {
            // RDS and EDS: what the response left out, the client keeps.
            foreach (var resource in response.Resources)
            {
                Held.Set(resource.Name, HeldResource.Of(resource));
                Rejected.Forget(resource.Name);
            }

            Held.RemoveWhere(n => !Includes(n));
            Held.Compact(response.Snapshot.Get(TypeUrl));
        }

        HoldBack?.Prune(response.Snapshot.Get(TypeUrl), Includes);
        if (response.Complete)
        {
            Reported = (response.Snapshot, false);
        }

        return new AckEffect(TypeUrl, response.Nonce, response.Snapshot.Version, response.Complete ? response.Snapshot : null, response.HeldBack);
    }

    /// <summary>The client rejected the response in flight: the view stays, and its content is never sent again as such.</summary>
    public NackEffect Nack(string error)
    {
        var response = InFlight!;
        InFlight = null;
        Generation++;
        HoldBack?.Record(response, Held, incremental);
        Rejected.Record(response, incremental ? null : Held, IsFullState);
        return new NackEffect(TypeUrl, response.Nonce, response.Snapshot.Version, error, HoldBack is { IsEmpty: false } ? HoldBack.Hosts : null);
    }

    /// <summary>A response of this type is on its way.</summary>
    public void Sent(InFlightResponse response)
    {
        InFlight = response;
        LatestNonce = response.Nonce;
        MustRespond = false;
        Generation++;
        foreach (var resource in response.Resources)
        {
            Rejected.Forget(resource.Name);
        }

        foreach (var name in response.Removed)
        {
            Rejected.Forget(name);
        }

        _resend = null;
    }

    /// <summary>Whether a state-of-the-world request's <paramref name="names"/> state the subscription this type has.</summary>
    private bool States(IReadOnlyList<string> names, bool wildcard)
    {
        if (wildcard != Wildcard)
        {
            return false;
        }

        // Equal sets if every name is subscribed and as many as subscribed (a repeated name falls through to the full comparison).
        var count = 0;
        foreach (var name in names)
        {
            if (name == "*")
            {
                continue;
            }

            if (!_names.Contains(name))
            {
                return false;
            }

            count++;
        }

        return count == _names.Count;
    }

    private void ForgetRejected(IReadOnlyList<CachedResource> resources)
    {
        if (Rejected.IsEmpty)
        {
            return;
        }

        foreach (var resource in resources)
        {
            Rejected.Forget(resource.Name);
        }
    }

    private SubscriptionEffect SubscriptionChanged(bool added)
    {
        Generation++;
        Reported = null;
        if (added)
        {
            InFlight?.SubscriptionGrew();
        }

        return new SubscriptionEffect(TypeUrl, Wildcard, Names.ToArray());
    }
}
