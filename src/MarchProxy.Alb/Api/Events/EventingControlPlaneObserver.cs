using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;

namespace MarchProxy.Alb.Api.Events;

/// <summary>
/// Decorates the registered <see cref="IControlPlaneObserver"/> (telemetry's AlbMetrics): forwards
/// every call, then lets <see cref="ConfigEventHub"/> read the ACK ledger for node events. The ADS
/// stream calls the observer after it has updated the ledger, so the reading includes the change.
/// </summary>
public sealed class EventingControlPlaneObserver(IControlPlaneObserver inner, ConfigEventHub hub) : IControlPlaneObserver
{
    public void StreamOpened(NodeKind kind, string protocol)
    {
        inner.StreamOpened(kind, protocol);
        hub.NodesChanged();
    }

    public void StreamClosed(NodeKind kind, string protocol)
    {
        inner.StreamClosed(kind, protocol);
        hub.NodesChanged();
    }

    public void ResponseSent(NodeKind kind, string typeUrl) => inner.ResponseSent(kind, typeUrl);

    public void Acked(NodeKind kind, string typeUrl, TimeSpan pushToAck)
    {
        inner.Acked(kind, typeUrl, pushToAck);
        hub.NodesChanged();
    }

    public void Nacked(NodeKind kind, string typeUrl)
    {
        inner.Nacked(kind, typeUrl);
        hub.NodesChanged();
    }
}
