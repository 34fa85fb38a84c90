using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// Holds the current snapshot per node kind (not per node id: every node of a kind shares one
/// snapshot) and tells open watches when a newer one is set. Knows nothing of gRPC.
/// </summary>
public interface ISnapshotCache
{
    /// <summary>
    /// Replaces the snapshot of <paramref name="kind"/>, then signals every watch of that kind.
    /// Throws <see cref="InconsistentSnapshotException"/> when the snapshot is inconsistent, and
    /// <see cref="ArgumentOutOfRangeException"/> when its version is older than the current one; in both
    /// cases the previous snapshot stays.
    /// </summary>
    void SetSnapshot(NodeKind kind, Snapshot snapshot);

    /// <summary>The current snapshot of <paramref name="kind"/>, or null before the first one is set.</summary>
    Snapshot? GetSnapshot(NodeKind kind);

    /// <summary>
    /// Registers <paramref name="changed"/>, called after each new snapshot of <paramref name="kind"/>
    /// is set. It is a signal only ("a newer snapshot exists"; read it with <see cref="GetSnapshot"/>),
    /// so a slow reader coalesces changes instead of queueing them. It runs on the setter's thread and
    /// must not block. Dispose the result to release the watch.
    /// </summary>
    IDisposable Watch(NodeKind kind, Action changed);
}
