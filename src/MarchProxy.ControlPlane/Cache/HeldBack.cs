namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// What a node holds of one type instead of a snapshot's content: the virtual hosts it does not get in
/// their current content (<see cref="Hosts"/>), and the route configurations it runs instead, built
/// from the snapshot's with those hosts replaced (<see cref="Resources"/>).
/// </summary>
internal sealed record HeldBack(IReadOnlyList<HeldBackHost> Hosts, IReadOnlyList<CachedResource> Resources)
{
    /// <summary>The first config version whose changes this hold-back leaves intact: every held host was rejected before it.</summary>
    public long Floor => Hosts.Count == 0 ? long.MinValue : Hosts.Max(h => h.RejectedAt) + 1;
}
