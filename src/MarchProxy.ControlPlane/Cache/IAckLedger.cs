namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// Per connected node (per xDS stream), the versions it ACKed for each type and its last NACK.
/// Fed by the ADS server; read by the API (wait_for_ack, status), readiness and telemetry.
/// </summary>
public interface IAckLedger
{
    /// <summary>Every connected node, then the most recently disconnected ones.</summary>
    IReadOnlyList<NodeAckState> GetNodes();

    /// <summary>
    /// Completes when every connected node of <paramref name="kind"/> has ACKed config version
    /// <paramref name="version"/> or newer for every type it subscribes to; at once (with
    /// <see cref="AckWaitResult.AckedNodes"/> 0) when no such node is connected; as soon as a node
    /// rejects that version or a newer one (its error is in <see cref="AckWaitResult.Nacks"/>); or after
    /// <paramref name="timeout"/>, measured on the injected <see cref="TimeProvider"/>, with
    /// <see cref="AckWaitResult.TimedOut"/> set. A node that disconnects stops counting.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    Task<AckWaitResult> WaitForAckAsync(NodeKind kind, long version, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Some connected node of <paramref name="kind"/> has ACKed CDS and LDS at least once.</summary>
    bool HasAckedClustersAndListeners(NodeKind kind);
}
