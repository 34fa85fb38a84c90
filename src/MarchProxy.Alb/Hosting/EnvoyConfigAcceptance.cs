using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.Supervisor;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// The supervisor's view of xDS acceptance, over the control plane's ACK ledger, for the local Envoy
/// only: the streams whose node id is <see cref="EnvoyOptions.NodeId"/> (the id the supervisor writes
/// into Envoy's bootstrap). A remote Envoy on the same ADS port neither makes the local one ready nor,
/// by rejecting a version, rolls back its hot restart.
/// </summary>
public sealed class EnvoyConfigAcceptance(AckLedger ledger, IOptions<EnvoyOptions> options) : IEnvoyConfigAcceptance
{
    private string LocalNodeId => options.Value.NodeId;

    public bool HasAcceptedInitialConfig => ledger.HasAckedClustersAndListeners(LocalNodeId);

    public bool HasRejectedConfigSince(DateTimeOffset since) => ledger.GetNodes().Any(n =>
        n.Kind == NodeKind.Envoy
        && string.Equals(n.NodeId, LocalNodeId, StringComparison.Ordinal)
        && n.LastNack is { } nack
        && nack.At >= since);
}
