using System.Globalization;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The ledger's record of one xDS stream. The ADS server reports through it; every change goes
/// through the ledger's lock, which also guards this object's state.
/// </summary>
internal sealed class NodeTracker : IDisposable
{
    private readonly AckLedger _ledger;
    private readonly Dictionary<string, TypeAck> _types = new(StringComparer.Ordinal);
    private NackInfo? _lastNack;

    public NodeTracker(AckLedger ledger, string nodeId, NodeKind kind)
    {
        _ledger = ledger;
        NodeId = nodeId;
        Kind = kind;
    }

    public string NodeId { get; }

    public NodeKind Kind { get; }

    public bool Connected { get; set; } = true;

    /// <summary>The stream subscribed to a type: from now on that type counts for wait_for_ack.</summary>
    public void Subscribed(string typeUrl) => _ledger.Update(this, t => t.ApplySubscribed(typeUrl));

    /// <summary>The node ACKed the response built from config version <paramref name="version"/>.</summary>
    public void Acked(string typeUrl, long version) => _ledger.Update(this, t => t.ApplyAck(typeUrl, version, ack: true));

    /// <summary>
    /// The node has ACKed earlier content that is the same, for its subscription, as config version
    /// <paramref name="version"/>: nothing needed to be sent, and it is up to date.
    /// </summary>
    public void InSync(string typeUrl, long version) => _ledger.Update(this, t => t.ApplyAck(typeUrl, version, ack: false));

    /// <summary>The node rejected the response built from config version <paramref name="version"/>.</summary>
    public void Nacked(string typeUrl, long version, string error) => _ledger.Nacked(this, typeUrl, version, error);

    public void Dispose() => _ledger.Disconnect(this);

    public bool EverAcked(string typeUrl) => _types.TryGetValue(typeUrl, out var t) && t.EverAcked;

    public bool HasAcked(long version) =>
        _types.Values.Any(t => t.Subscribed) && _types.Values.Where(t => t.Subscribed).All(t => t.AckedVersion >= version);

    public NackInfo? RejectedAtOrAbove(long version) =>
        _types.Values.Where(t => t.NackedVersion >= version).Select(t => t.Nack).FirstOrDefault();

    public NodeAckState ToState() => new(
        NodeId,
        Kind,
        Connected,
        _types.Where(p => p.Value.AckedVersion >= 0)
            .ToDictionary(p => p.Key, p => p.Value.AckedVersion.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal),
        _lastNack);

    public bool ApplySubscribed(string typeUrl)
    {
        var type = Get(typeUrl);
        if (type.Subscribed)
        {
            return false;
        }

        type.Subscribed = true;
        return true;
    }

    public bool ApplyAck(string typeUrl, long version, bool ack)
    {
        var type = Get(typeUrl);
        var changed = false;
        if (ack && !type.EverAcked)
        {
            type.EverAcked = true;
            changed = true;
        }

        if (version > type.AckedVersion)
        {
            type.AckedVersion = version;
            changed = true;
        }

        if (type.NackedVersion is { } nacked && version >= nacked)
        {
            type.NackedVersion = null;
            changed = true;
        }

        return changed;
    }

    public bool ApplyNack(string typeUrl, long version, NackInfo info)
    {
        var type = Get(typeUrl);
        type.NackedVersion = Math.Max(version, type.NackedVersion ?? long.MinValue);
        type.Nack = info;
        _lastNack = info;
        return true;
    }

    private TypeAck Get(string typeUrl)
    {
        if (!_types.TryGetValue(typeUrl, out var type))
        {
            type = new TypeAck();
            _types.Add(typeUrl, type);
        }

        return type;
    }

    private sealed class TypeAck
    {
        public bool Subscribed { get; set; }

        public bool EverAcked { get; set; }

        public long AckedVersion { get; set; } = -1;

        public long? NackedVersion { get; set; }

        public NackInfo? Nack { get; set; }
    }
}
