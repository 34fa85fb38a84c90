namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The outcome of <see cref="IAckLedger.WaitForAckAsync"/>: how many connected nodes ACKed the
/// version (or a newer one), which are still pending (node ids), which rejected it ("node: error"),
/// and whether the wait ran out of time.
/// </summary>
public sealed record AckWaitResult(int AckedNodes, IReadOnlyList<string> PendingNodes, IReadOnlyList<string> Nacks, bool TimedOut)
{
    /// <summary>Every connected node ACKed, none rejected, and the wait did not time out.</summary>
    public bool Succeeded => !TimedOut && Nacks.Count == 0 && PendingNodes.Count == 0;
}
