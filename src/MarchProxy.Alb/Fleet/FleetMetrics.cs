using System.Diagnostics.Metrics;
using MarchProxy.Alb.Telemetry;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// Fleet mode's instruments, on the ALB's meter: whether etcd answers, and how many members are live.
/// Created only with STATE_STORE=etcd (the file store has no such series).
/// </summary>
public sealed class FleetMetrics
{
    public FleetMetrics(IMeterFactory meterFactory, StoreHealth health, FleetView fleet)
    {
        var meter = meterFactory.Create(AlbMetrics.MeterName);
        meter.CreateObservableGauge("marchproxy.state_store.connected", () => health.Connected ? 1 : 0, "{connected}", "1 while etcd answers, 0 while it cannot be reached (fleet mode).");
        meter.CreateObservableGauge("marchproxy.fleet.members", () => fleet.Members.Count, "{member}", "The live members of the fleet as this ALB sees them in etcd.");
    }
}
