namespace MarchProxy.Load.Ads;

/// <summary>
/// What one client holds, as Envoy's initialization sees it: CDS and LDS answered, and every EDS and
/// RDS name they reference received. The "answered" flags belong to the current stream; the held
/// names survive a reconnect (delta resumes from them).
/// </summary>
internal sealed class SyncState
{
    private readonly HashSet<string> _answered = new(StringComparer.Ordinal);

    public HashSet<string> EdsWanted { get; } = new(StringComparer.Ordinal);

    public HashSet<string> EdsHeld { get; } = new(StringComparer.Ordinal);

    public HashSet<string> RdsWanted { get; } = new(StringComparer.Ordinal);

    public HashSet<string> RdsHeld { get; } = new(StringComparer.Ordinal);

    public bool IsSynced =>
        _answered.Contains(TypeUrls.Cluster)
        && _answered.Contains(TypeUrls.Listener)
        && (EdsWanted.Count == 0 || (_answered.Contains(TypeUrls.Endpoint) && EdsWanted.IsSubsetOf(EdsHeld)))
        && (RdsWanted.Count == 0 || (_answered.Contains(TypeUrls.Route) && RdsWanted.IsSubsetOf(RdsHeld)));

    public void Answered(string typeUrl) => _answered.Add(typeUrl);

    public void NewStream() => _answered.Clear();
}
