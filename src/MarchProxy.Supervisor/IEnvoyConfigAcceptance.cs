namespace MarchProxy.Supervisor;

/// <summary>
/// What the supervisor needs to know about xDS acceptance. The host implements it over the
/// control plane's ACK ledger, so the supervisor stays independent of the control plane.
/// </summary>
public interface IEnvoyConfigAcceptance
{
    /// <summary>
    /// True once some connected Envoy node has ACKed CDS and LDS at least once
    /// (<c>IAckLedger.HasAckedClustersAndListeners(NodeKind.Envoy)</c>). Readiness needs it.
    /// </summary>
    bool HasAcceptedInitialConfig { get; }

    /// <summary>
    /// True when an Envoy node NACKed a response at or after <paramref name="since"/>. A hot restart
    /// whose new epoch NACKs before it is promoted is rolled back. The default answers false, so an
    /// implementation that cannot tell only loses that check.
    /// </summary>
    bool HasRejectedConfigSince(DateTimeOffset since) => false;
}
