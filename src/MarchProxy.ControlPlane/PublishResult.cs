using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane;

/// <summary>
/// The outcome of <see cref="SnapshotPublisher.Publish"/> or <see cref="SnapshotPublisher.DryRun"/>:
/// on success the snapshot built for each node kind; on failure every error found (translation
/// errors and dangling references, each prefixed with its node kind), and nothing was set.
/// </summary>
public sealed record PublishResult(bool Success, long Version, IReadOnlyList<string> Errors, IReadOnlyDictionary<NodeKind, Snapshot> Snapshots)
{
    public static PublishResult Succeeded(long version, IReadOnlyDictionary<NodeKind, Snapshot> snapshots) =>
        new(true, version, [], snapshots);

    public static PublishResult Failed(long version, IReadOnlyList<string> errors) =>
        new(false, version, errors, new Dictionary<NodeKind, Snapshot>());
}
