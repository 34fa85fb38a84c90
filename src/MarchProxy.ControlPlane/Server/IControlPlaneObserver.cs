using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Hooks the ADS server calls for telemetry. <c>protocol</c> is "sotw" or "delta". Calls come from
/// stream loops, concurrently for different streams; implementations must be thread-safe and fast.
/// </summary>
public interface IControlPlaneObserver
{
    void StreamOpened(NodeKind kind, string protocol);

    void StreamClosed(NodeKind kind, string protocol);

    /// <summary>A response was written to a stream.</summary>
    void ResponseSent(NodeKind kind, string typeUrl);

    /// <summary>A node ACKed a response; <paramref name="pushToAck"/> runs from the push to the ACK.</summary>
    void Acked(NodeKind kind, string typeUrl, TimeSpan pushToAck);

    /// <summary>A node rejected a response.</summary>
    void Nacked(NodeKind kind, string typeUrl);
}
