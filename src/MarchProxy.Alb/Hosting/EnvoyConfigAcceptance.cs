using MarchProxy.ControlPlane;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Hosting;

/// <summary>The supervisor's view of xDS acceptance, over the control plane's ACK ledger.</summary>
public sealed class EnvoyConfigAcceptance(IAckLedger ledger) : IEnvoyConfigAcceptance
{
    public bool HasAcceptedInitialConfig => ledger.HasAckedClustersAndListeners(NodeKind.Envoy);

    public bool HasRejectedConfigSince(DateTimeOffset since) =>
        ledger.GetNodes().Any(n => n.Kind == NodeKind.Envoy && n.LastNack is { } nack && nack.At >= since);
}
