using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// What one xDS stream (one connected node) has acknowledged. <see cref="AckedVersions"/> maps a type
/// URL to the config version (a <see cref="Snapshot.Version"/>, as a string) whose content for that type,
/// as the node subscribes to it, the node has ACKed. Nodes that disconnected stay listed for a while
/// with <see cref="Connected"/> false.
/// </summary>
public sealed record NodeAckState(
    string NodeId,
    NodeKind Kind,
    bool Connected,
    IReadOnlyDictionary<string, string> AckedVersions,
    NackInfo? LastNack)
{
    /// <summary>
    /// Virtual hosts this node is not sent in their current content because it rejected that content
    /// (route configuration, host, domains, the version rejected); it gets them again once they change.
    /// </summary>
    public IReadOnlyList<string> HeldBackVirtualHosts { get; init; } = [];
}
