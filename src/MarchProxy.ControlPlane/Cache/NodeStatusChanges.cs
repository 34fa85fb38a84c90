namespace MarchProxy.ControlPlane.Cache;

/// <summary>What <see cref="INodeStatusFeed.GetChanges"/> returns: the changed streams' status, and the next cursor.</summary>
public sealed record NodeStatusChanges(IReadOnlyList<NodeStatusChange> Changes, long Cursor);
