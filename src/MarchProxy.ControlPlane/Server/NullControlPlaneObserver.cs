using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Server;

/// <summary>The default observer: does nothing. The host's telemetry replaces it.</summary>
public sealed class NullControlPlaneObserver : IControlPlaneObserver
{
    public static NullControlPlaneObserver Instance { get; } = new();

    public void StreamOpened(NodeKind kind, string protocol)
    {
    }

    public void StreamClosed(NodeKind kind, string protocol)
    {
    }

    public void ResponseSent(NodeKind kind, string typeUrl)
    {
    }

    public void Acked(NodeKind kind, string typeUrl, TimeSpan pushToAck)
    {
    }

    public void Nacked(NodeKind kind, string typeUrl)
    {
    }
}
