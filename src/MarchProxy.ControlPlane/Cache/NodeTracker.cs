using System.Globalization;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The ledger's record of one xDS stream: per type, what the node subscribes to and which snapshot's
/// content it holds for that subscription. The ADS server reports through it; every change goes
/// through the ledger's lock, which also guards this object's state.
/// </summary>
/// <remarks>
/// A node holds config version V (<see cref="HasAcked"/>) when every type it subscribes to holds the
/// content of V or a newer snapshot for all of its subscription (no name subscribed since then is still
/// waiting for its response), and what it holds is closed under references: from the roots (every
/// resource of a wildcard type, and the listeners it names), each route configuration, cluster and
/// ClusterLoadAssignment referred to is subscribed and present in the content the node holds for its
/// type. So a node that has ACKed a route but not yet asked for (or received) a cluster it names, or an
/// EDS cluster but not its endpoints, is still pending.
/// </remarks>
internal sealed class NodeTracker : IDisposable
{
    private readonly AckLedger _ledger;
    private readonly Dictionary<string, NodeTypeAck> _types = new(StringComparer.Ordinal);
    private NackInfo? _lastNack;
    private long? _heldVersion;
    private bool _heldVersionKnown;

    public NodeTracker(AckLedger ledger, long streamId, string nodeId, NodeKind kind)
    {
        _ledger = ledger;
        StreamId = streamId;
        NodeId = nodeId;
        Kind = kind;
    }

    /// <summary>Tells apart two streams of the same node id.</summary>
    public long StreamId { get; }

    public string NodeId { get; }

    public NodeKind Kind { get; }

    public bool Connected { get; set; } = true;

    /// <summary>The ledger's change counter when this tracker last changed (under the ledger's lock).</summary>
    public long ChangeSequence { get; set; }

    /// <summary>Where this tracker sits in the ledger's change order; null once the ledger forgets it.</summary>
    public LinkedListNode<NodeTracker>? ChangeNode { get; set; }

    /// <summary>
    /// The stream's subscription to a type is now <paramref name="wildcard"/> plus
    /// <paramref name="names"/> (copied). From the first call that type counts for wait_for_ack; names
    /// it did not include before are not held until a later ACK or <see cref="InSync"/> covers them.
    /// </summary>
    public void Subscribed(string typeUrl, bool wildcard, IReadOnlyCollection<string> names) =>
        _ledger.Update(this, t => t.Get(typeUrl).ApplySubscription(wildcard, names));

    /// <summary>
    /// The node ACKed a response built from <paramref name="snapshot"/>: it now holds that snapshot's
    /// content for the names it subscribed to when the response was sent. With
    /// <paramref name="coversSubscription"/> false the subscription grew while the response was in
    /// flight, and the names added meanwhile are still not held. With <paramref name="heldBack"/> the
    /// node holds that content apart from the virtual hosts it lists.
    /// </summary>
    public void Acked(string typeUrl, Snapshot snapshot, bool coversSubscription = true, HeldBack? heldBack = null) =>
        _ledger.Update(this, t => t.Get(typeUrl).ApplyContent(snapshot, ack: true, coversSubscription, heldBack));

    /// <summary>
    /// The node ACKed a response that did not bring it the whole snapshot (something waited, or was
    /// rejected before): it counts as an ACK (readiness) but says nothing about which version it holds.
    /// </summary>
    public void AckedPartial(string typeUrl) => _ledger.Update(this, t => t.Get(typeUrl).ApplyPartialAck());

    /// <summary>
    /// The node already holds, for its whole current subscription, the same content as
    /// <paramref name="snapshot"/> (apart from the virtual hosts <paramref name="heldBack"/> lists):
    /// nothing needed to be sent, and it is up to date.
    /// </summary>
    public void InSync(string typeUrl, Snapshot snapshot, HeldBack? heldBack = null) =>
        _ledger.Update(this, t => t.Get(typeUrl).ApplyContent(snapshot, ack: false, coversSubscription: true, heldBack));

    /// <summary>
    /// The node rejected the response built from config version <paramref name="version"/>;
    /// <paramref name="heldBack"/> lists the virtual hosts it is not sent from now on while they stay the same.
    /// </summary>
    public void Nacked(string typeUrl, long version, string error, IReadOnlyList<HeldBackHost>? heldBack = null) =>
        _ledger.Nacked(this, typeUrl, version, error, heldBack);

    /// <summary>
    /// Nothing will bring the node to <paramref name="snapshot"/> for the type, because of content it
    /// rejected (of this type, or of one that still uses what this type would remove): it rejects that
    /// version too, with the error of its NACK (this type's, or else the node's last).
    /// </summary>
    public void StillRejected(string typeUrl, Snapshot snapshot) =>
        _ledger.Update(this, t => t.Get(typeUrl).ApplyStillRejected(snapshot.Version, t._lastNack));

    public void Dispose() => _ledger.Disconnect(this);

    public bool EverAcked(string typeUrl) => _types.TryGetValue(typeUrl, out var t) && t.EverAcked;

    /// <summary>
    /// The node holds, consistently, config version <paramref name="version"/> or a newer one (see the
    /// remarks). Virtual hosts held back count only for the versions they concern: the node holds the
    /// changes of a version made after every held host was rejected, and of one it held whole.
    /// </summary>
    public bool HasAcked(long version)
    {
        if (!_heldVersionKnown)
        {
            _heldVersion = ComputeHeldVersion();
            _heldVersionKnown = true;
        }

        return _heldVersion >= version
            && _types.Values.All(t => !t.Subscribed || t.HeldBack is null || version >= t.HeldBack.Floor || t.WholeVersion >= version);
    }

    public NackInfo? RejectedAtOrAbove(long version) =>
        _types.Values.Where(t => t.NackedVersion >= version).Select(t => t.Nack).FirstOrDefault();

    public NodeAckState ToState() => new(
        NodeId,
        Kind,
        Connected,
        _types.Where(p => p.Value.AckedVersion >= 0)
            .ToDictionary(p => p.Key, p => p.Value.AckedVersion.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal),
        _lastNack)
    {
        HeldBackVirtualHosts = [.. _types.Values.SelectMany(t => t.HeldBackHosts).Select(h => h.ToString())],
    };

    /// <summary>Applies a change under the ledger's lock; true when it changed anything.</summary>
    public bool Apply(Func<NodeTracker, bool> change)
    {
        if (!change(this))
        {
            return false;
        }

        _heldVersionKnown = false;
        return true;
    }

    public bool ApplyNack(string typeUrl, long version, NackInfo info, IReadOnlyList<HeldBackHost>? heldBack)
    {
        var type = Get(typeUrl);
        if (heldBack is not null)
        {
            type.HeldBackHosts = heldBack;
        }

        type.NackedVersion = Math.Max(version, type.NackedVersion ?? long.MinValue);
        type.Nack = info;
        _lastNack = info;
        return true;
    }

    /// <summary>Drops the snapshots and subscriptions of a disconnected node; its status stays.</summary>
    public void Release()
    {
        foreach (var type in _types.Values)
        {
            type.Release();
        }

        _heldVersion = null;
        _heldVersionKnown = true;
    }

    /// <summary>
    /// The oldest content version among the subscribed types when every subscription is fully held and
    /// the held resources are closed under references; otherwise null (pending at any version).
    /// </summary>
    private long? ComputeHeldVersion()
    {
        long? oldest = null;
        foreach (var type in _types.Values.Where(t => t.Subscribed))
        {
            if (type.Content is null || type.HasUncovered)
            {
                return null;
            }

            oldest = Math.Min(oldest ?? long.MaxValue, type.AckedVersion);
        }

        return oldest is not null && ReferenceClosure.Walk(Roots(), Resolve, static (_, _) => false) ? oldest : null;
    }

    /// <summary>Every resource of a wildcard subscription, and the listeners subscribed by name.</summary>
    private IEnumerable<(ResourceKey, CachedResource)> Roots()
    {
        foreach (var (typeUrl, type) in _types)
        {
            if (!type.Subscribed || type.Content is not { } content)
            {
                continue;
            }

            var set = content.Get(typeUrl);
            IEnumerable<CachedResource> roots = type.Wildcard ? set.Resources
                : typeUrl == ResourceTypes.Listener ? type.Names.Select(set.Find).OfType<CachedResource>()
                : [];
            foreach (var resource in roots)
            {
                yield return (new ResourceKey(typeUrl, resource.Name), resource);
            }
        }
    }

    /// <summary>The resource the node holds under <paramref name="key"/>: subscribed, and in the content it holds for that type.</summary>
    private CachedResource? Resolve(ResourceKey key) =>
        _types.TryGetValue(key.TypeUrl, out var type) && type.Subscribed && type.Includes(key.Name)
            ? type.HeldBack?.Resources.FirstOrDefault(r => r.Name == key.Name) ?? type.Content?.Get(key.TypeUrl).Find(key.Name)
            : null;

    private NodeTypeAck Get(string typeUrl)
    {
        if (!_types.TryGetValue(typeUrl, out var type))
        {
            type = new NodeTypeAck();
            _types.Add(typeUrl, type);
        }

        return type;
    }
}
