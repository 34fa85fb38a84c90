using MarchProxy.ControlPlane.Model;

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
    /// Completes when every connected node of <paramref name="kind"/> holds config version
    /// <paramref name="version"/> or newer: every type it subscribes to is ACKed (or known in sync) at that
    /// version or later for all the names it subscribes to, and everything the resources it holds refer to
    /// (from every resource of a wildcard subscription and every listener it names: route configurations,
    /// clusters, an EDS cluster's ClusterLoadAssignment) is subscribed and held too, so a node that has yet
    /// to ask for a newly referenced resource is still pending; at once (with
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
