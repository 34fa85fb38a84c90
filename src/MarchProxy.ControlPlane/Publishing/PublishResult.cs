using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Publishing;

/// <summary>
/// The outcome of <see cref="SnapshotPublisher.Publish"/> or <see cref="SnapshotPublisher.DryRun"/>:
/// on success the snapshot built for each node kind; on failure every error found (translation
/// errors, resources Envoy would reject and dangling references, each prefixed with its node kind),
/// and nothing was set. <see cref="Violations"/> holds the rejections by model field
/// (<c>routes[api].match.regex</c>), without the node kind, each once.
/// </summary>
public sealed record PublishResult(
    bool Success,
    long Version,
    IReadOnlyList<string> Errors,
    IReadOnlyDictionary<NodeKind, Snapshot> Snapshots,
    IReadOnlyList<ValidationError> Violations)
{
    public static PublishResult Succeeded(long version, IReadOnlyDictionary<NodeKind, Snapshot> snapshots) =>
        new(true, version, [], snapshots, []);

    public static PublishResult Failed(long version, IReadOnlyList<string> errors, IReadOnlyList<ValidationError>? violations = null) =>
        new(false, version, errors, new Dictionary<NodeKind, Snapshot>(), violations ?? []);
}
