namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// One stream's node status after a change. <see cref="StreamId"/> tells apart two streams of the same
/// node id (a reconnect, or two Envoy epochs during a hot restart).
/// </summary>
public readonly record struct NodeStatusChange(long StreamId, NodeAckState State);
