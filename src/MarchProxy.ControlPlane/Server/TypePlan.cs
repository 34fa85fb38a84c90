using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// How one type's ACKed view differs from a snapshot, for the client's subscription: what can be sent
/// now, what waits (for the clusters it uses, or until nothing uses it any more), and what is not sent
/// because the client rejected it. Built by <see cref="TypePlanner"/>; read-only afterwards, except
/// for <see cref="SkippedAsRejected"/>.
/// </summary>
internal sealed class TypePlan(ResourceSet set)
{
    // Most plans are empty: the lists are made on first use, since every stream plans every change.
    private List<CachedResource>? _upserts;
    private List<CachedResource>? _gated;
    private List<string>? _removals;
    private List<string>? _stillUsed;
    private List<string>? _notices;
    private List<HeldBackHost>? _heldBackHosts;
    private List<CachedResource>? _composed;

    public ResourceSet Set => set;

    /// <summary>Changed or missing resources that may go now, in name order.</summary>
    public IReadOnlyList<CachedResource> Upserts => _upserts ?? (IReadOnlyList<CachedResource>)[];

    /// <summary>Changed or missing listeners and route configurations that wait for a cluster they use.</summary>
    public IReadOnlyList<CachedResource> Gated => _gated ?? (IReadOnlyList<CachedResource>)[];

    /// <summary>Held resources gone from the snapshot that may be removed once nothing else is pending.</summary>
    public IReadOnlyList<string> Removals => _removals ?? (IReadOnlyList<string>)[];

    /// <summary>Held resources gone from the snapshot that a held listener or route configuration still uses.</summary>
    public IReadOnlyList<string> StillUsed => _stillUsed ?? (IReadOnlyList<string>)[];

    /// <summary>Delta: subscribed names that do not exist and that the client has not been told about.</summary>
    public IReadOnlyList<string> Notices => _notices ?? (IReadOnlyList<string>)[];

    /// <summary>Route configurations: virtual hosts not sent in their current content, because the client rejected it.</summary>
    public IReadOnlyList<HeldBackHost> HeldBackHosts => _heldBackHosts ?? (IReadOnlyList<HeldBackHost>)[];

    /// <summary>Route configurations: what is sent instead of the snapshot's, where hosts are held back.</summary>
    public IReadOnlyList<CachedResource> Composed => _composed ?? (IReadOnlyList<CachedResource>)[];

    /// <summary>Delta: differences that are content the client rejected.</summary>
    public int Rejected { get; set; }

    /// <summary>State of the world: the response this plan makes is the content the client last rejected.</summary>
    public bool SkippedAsRejected { get; set; }

    public bool HasAdditions => Upserts.Count > 0 || Notices.Count > 0;

    /// <summary>Something new is still to reach the client, now or once what it waits for arrives (rejected content is not).</summary>
    public bool Pending => (HasAdditions && !SkippedAsRejected) || Gated.Count > 0;

    /// <summary>Nothing to send and nothing waiting; only rejected content may differ.</summary>
    public bool Quiet => !HasAdditions && Gated.Count == 0 && Removals.Count == 0 && StillUsed.Count == 0;

    public bool InSync => Quiet && Rejected == 0 && !SkippedAsRejected && HeldBackHosts.Count == 0;

    /// <summary>In sync, apart from virtual hosts held back.</summary>
    public bool InSyncButHeldBack => Quiet && Rejected == 0 && !SkippedAsRejected && HeldBackHosts.Count > 0;

    /// <summary>The held-back hosts and what goes instead, or null when none is held back.</summary>
    public HeldBack? HeldBack => HeldBackHosts.Count == 0 ? null : new HeldBack([.. HeldBackHosts], [.. Composed]);

    public bool OnlyRejected =>
        (Quiet && Rejected > 0) || (SkippedAsRejected && Gated.Count == 0 && Notices.Count == 0 && StillUsed.Count == 0);

    public void AddUpsert(CachedResource item) => (_upserts ??= []).Add(item);

    public void AddGated(CachedResource item) => (_gated ??= []).Add(item);

    public void AddRemoval(string item) => (_removals ??= []).Add(item);

    public void AddStillUsed(string item) => (_stillUsed ??= []).Add(item);

    public void AddNotice(string item) => (_notices ??= []).Add(item);

    public void AddHeldBackHost(HeldBackHost item) => (_heldBackHosts ??= []).Add(item);

    public void AddComposed(CachedResource item) => (_composed ??= []).Add(item);
}
