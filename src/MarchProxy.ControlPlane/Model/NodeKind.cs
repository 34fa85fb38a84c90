namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// The kind of xDS client. Snapshots are keyed by kind, not by node id: every node of a kind
/// receives the same resources, so a fleet of Envoys (or of proxyless gRPC clients) stays in step.
/// </summary>
public enum NodeKind
{
    /// <summary>An Envoy proxy (local or remote).</summary>
    Envoy = 0,

    /// <summary>A proxyless gRPC client (grpc-js-xds, grpc-go, grpc-java, ...).</summary>
    Grpc = 1,
}
