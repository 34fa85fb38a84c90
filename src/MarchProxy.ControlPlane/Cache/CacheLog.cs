using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Logging;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>Log events of the snapshot cache and the ACK ledger (EventIds 1000–1049).</summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = 1000, EventName = "SnapshotSet", Level = LogLevel.Debug,
        Message = "Set the {Kind} snapshot at version {Version} ({ResourceCount} resources); signalling {WatchCount} watches")]
    public static partial void SnapshotSet(ILogger logger, NodeKind kind, long version, int resourceCount, int watchCount);

    [LoggerMessage(EventId = 1001, EventName = "SnapshotRejected", Level = LogLevel.Error,
        Message = "Refused the inconsistent {Kind} snapshot at version {Version}; the previous snapshot stays. {ErrorCount} errors: {Errors}")]
    public static partial void SnapshotRejected(ILogger logger, NodeKind kind, long version, int errorCount, string errors);

    [LoggerMessage(EventId = 1002, EventName = "AckWaitTimedOut", Level = LogLevel.Warning,
        Message = "Waiting for {Kind} nodes to ACK version {Version} timed out; pending: {PendingNodes}")]
    public static partial void AckWaitTimedOut(ILogger logger, NodeKind kind, long version, string pendingNodes);
}
