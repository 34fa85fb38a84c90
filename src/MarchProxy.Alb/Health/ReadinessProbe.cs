using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Fleet;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Health;

/// <summary>
/// Ready = the first snapshot is served (the initial state is published in the cache) and, when
/// Envoy is supervised, the supervisor reports it ready: LIVE, with CDS and LDS accepted by the local
/// Envoy's own node (Envoy:NodeId, see <see cref="IEnvoyConfigAcceptance"/>), not by any node on
/// the ADS port. In control-plane-only mode Envoy does not count. Never ready once the host is
/// stopping. In fleet mode an unreachable etcd does not make the ALB unready (it keeps serving its
/// last state); the report says so.
/// </summary>
public sealed class ReadinessProbe(
    ConfigStore store,
    ISnapshotCache cache,
    IEnvoySupervisor supervisor,
    IHostApplicationLifetime lifetime,
    ShutdownState shutdown,
    FleetStatusReader fleet,
    StoreHealth storeHealth) : IMemberReadiness
{
    bool IMemberReadiness.IsReady => Check().Ready;

    public ReadinessReport Check()
    {
        var reasons = new List<string>();
        var stopping = shutdown.IsStopping || lifetime.ApplicationStopping.IsCancellationRequested;
        if (stopping)
        {
            reasons.Add("the ALB is shutting down");
        }

        var snapshotServed = store.IsInitialized && cache.GetSnapshot(NodeKind.Envoy) is not null;
        if (!snapshotServed)
        {
            reasons.Add("the initial configuration is not published yet");
        }

        var status = supervisor.GetStatus();
        var envoyReady = supervisor.IsReady;
        if (status.IsSupervising && !envoyReady)
        {
            reasons.Add(status.StartStalled
                ? $"Envoy is not LIVE long after it started ({status.LastError})"
                : $"Envoy is not ready (state {EnvoyStateNames.Of(status)})");
        }

        return new ReadinessReport(
            !stopping && snapshotServed && (!status.IsSupervising || envoyReady),
            snapshotServed,
            store.Current.Version,
            status.IsSupervising,
            EnvoyStateNames.Of(status),
            envoyReady,
            reasons,
            fleet.IsFleet ? "etcd" : "file",
            !fleet.IsFleet || storeHealth.Connected,
            fleet.IsFleet ? storeHealth.Error : string.Empty);
    }
}
