namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// What a snapshot keeps of one VirtualHost of a RouteConfiguration so that the next snapshot can reuse it
/// for the same instance: its encoding (a slice of the RouteConfiguration's bytes, never written) and the
/// clusters it routes to, distinct, in order.
/// </summary>
internal sealed record VirtualHostEncoding(ReadOnlyMemory<byte> Bytes, IReadOnlyList<string> Clusters);
