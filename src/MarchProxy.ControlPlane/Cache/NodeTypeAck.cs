namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// One type on one node, in the ledger: the subscription (wildcard and names), the snapshot whose
/// content the node holds for it, which subscribed names no ACK or in-sync report has covered yet,
/// and the last rejection. Guarded by the ledger's lock.
/// </summary>
internal sealed class NodeTypeAck
{
    private readonly HashSet<string> _uncovered = new(StringComparer.Ordinal);
    private bool _wildcardUncovered;

    public bool Subscribed { get; private set; }

    public bool Wildcard { get; private set; }

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Some subscribed name has not been covered by an ACK or in-sync report since it was added.</summary>
    public bool HasUncovered => _wildcardUncovered || _uncovered.Count > 0;

    public bool EverAcked { get; private set; }

    /// <summary>The version of <see cref="Content"/> (kept after <see cref="Release"/>, for status).</summary>
    public long AckedVersion { get; private set; } = -1;

    /// <summary>The snapshot whose content the node holds for its (covered) subscription.</summary>
    public Snapshot? Content { get; private set; }

    /// <summary>What of <see cref="Content"/> the node does not hold: virtual hosts held back; null when none is.</summary>
    public HeldBack? HeldBack { get; private set; }

    /// <summary>The newest config version whose content the node held with nothing held back.</summary>
    public long WholeVersion { get; private set; } = -1;

    /// <summary>The virtual hosts held back, for status: as the last content or NACK said.</summary>
    public IReadOnlyList<HeldBackHost> HeldBackHosts { get; set; } = [];

    public long? NackedVersion { get; set; }

    public NackInfo? Nack { get; set; }

    public bool Includes(string name) => Wildcard || Names.Contains(name);

    public bool ApplySubscription(bool wildcard, IReadOnlyCollection<string> names)
    {
        if (Subscribed && wildcard == Wildcard && Names.SetEquals(names))
        {
            return false;
        }

        // A name is still held if it was subscribed and covered before; every other one waits.
        var uncovered = names.Where(n => !Subscribed || _wildcardUncovered || !Includes(n) || _uncovered.Contains(n)).ToList();
        _wildcardUncovered = wildcard && (!Subscribed || !Wildcard || _wildcardUncovered);
        _uncovered.Clear();
        _uncovered.UnionWith(uncovered);
        Subscribed = true;
        Wildcard = wildcard;
        Names.Clear();
        Names.UnionWith(names);
        return true;
    }

    public bool ApplyContent(Snapshot snapshot, bool ack, bool coversSubscription, HeldBack? heldBack = null)
    {
        var changed = false;
        if (ack && !EverAcked)
        {
            EverAcked = true;
            changed = true;
        }

        if (snapshot.Version >= AckedVersion && (!ReferenceEquals(snapshot, Content) || !Equals(heldBack, HeldBack)))
        {
            AckedVersion = snapshot.Version;
            Content = snapshot;
            HeldBack = heldBack;
            HeldBackHosts = heldBack?.Hosts ?? [];
            WholeVersion = heldBack is null ? snapshot.Version : WholeVersion;
            changed = true;
        }

        if (coversSubscription && snapshot.Version >= AckedVersion && HasUncovered)
        {
            _uncovered.Clear();
            _wildcardUncovered = false;
            changed = true;
        }

        // A rejection that the held-back hosts account for stays: its version's change is not applied.
        if (NackedVersion is { } nacked && snapshot.Version >= nacked && (heldBack is null || nacked >= heldBack.Floor))
        {
            NackedVersion = null;
            changed = true;
        }

        return changed;
    }

    public bool ApplyStillRejected(long version, NackInfo? nodeNack)
    {
        Nack ??= nodeNack;
        if (Nack is null || NackedVersion >= version)
        {
            return false;
        }

        NackedVersion = version;
        return true;
    }

    public bool ApplyPartialAck()
    {
        if (EverAcked)
        {
            return false;
        }

        EverAcked = true;
        return true;
    }

    public void Release()
    {
        Content = null;
        HeldBack = null;
        Names.Clear();
        _uncovered.Clear();
    }
}
