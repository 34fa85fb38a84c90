namespace MarchProxy.Alb.Fleet;

/// <summary>Log events of fleet mode: etcd, the watch, the membership (EventIds 3400-3499).</summary>
internal static partial class FleetLog
{
    [LoggerMessage(EventId = 3400, EventName = "FleetStoreLoaded", Level = LogLevel.Information,
        Message = "Loaded desired state version {Version} ({Routes} routes, {Clusters} clusters) from etcd {Endpoints} under {Prefix}")]
    public static partial void Loaded(ILogger logger, long version, int routes, int clusters, string endpoints, string prefix);

    [LoggerMessage(EventId = 3401, EventName = "FleetSeeded", Level = LogLevel.Information,
        Message = "The etcd prefix {Prefix} was empty: seeded it from the standalone config as version {Version}")]
    public static partial void Seeded(ILogger logger, string prefix, long version);

    [LoggerMessage(EventId = 3402, EventName = "FleetSeedLost", Level = LogLevel.Information,
        Message = "Another ALB seeded {Prefix} first; using its version {Version}")]
    public static partial void SeedLost(ILogger logger, string prefix, long version);

    [LoggerMessage(EventId = 3403, EventName = "FleetLocalCopy", Level = LogLevel.Warning,
        Message = "etcd is unreachable ({Error}); serving the local copy {Location} (version {Version}) until it answers")]
    public static partial void ServingLocalCopy(ILogger logger, string error, string location, long version);

    [LoggerMessage(EventId = 3404, EventName = "FleetStartingEmpty", Level = LogLevel.Warning,
        Message = "etcd is unreachable ({Error}) and there is no local copy in {Location}: serving an empty configuration until it answers")]
    public static partial void StartingEmpty(ILogger logger, string error, string location);

    [LoggerMessage(EventId = 3405, EventName = "StoreDisconnected", Level = LogLevel.Warning,
        Message = "etcd is unreachable: {Error}. Serving the last applied state; mutations answer UNAVAILABLE")]
    public static partial void StoreDisconnected(ILogger logger, string error);

    [LoggerMessage(EventId = 3406, EventName = "StoreReconnected", Level = LogLevel.Information,
        Message = "etcd answers again")]
    public static partial void StoreReconnected(ILogger logger);

    [LoggerMessage(EventId = 3407, EventName = "WatchCompacted", Level = LogLevel.Warning,
        Message = "etcd compacted its history past revision {Revision}; re-reading {Prefix}")]
    public static partial void WatchCompacted(ILogger logger, long revision, string prefix);

    [LoggerMessage(EventId = 3408, EventName = "BadKey", Level = LogLevel.Error,
        Message = "Ignoring etcd key {Key}: {Error}")]
    public static partial void BadKey(ILogger logger, string key, string error);

    [LoggerMessage(EventId = 3409, EventName = "LocalCopyFailed", Level = LogLevel.Warning,
        Message = "Could not write the local copy of version {Version} to {Location}")]
    public static partial void LocalCopyFailed(ILogger logger, long version, string location, Exception exception);

    [LoggerMessage(EventId = 3410, EventName = "MemberLeaseLost", Level = LogLevel.Warning,
        Message = "The member key of {ModuleId} could not be kept ({Error}); registering again")]
    public static partial void LeaseLost(ILogger logger, string moduleId, string error);

    [LoggerMessage(EventId = 3411, EventName = "WatchFailed", Level = LogLevel.Debug,
        Message = "The etcd watch ended ({Error}); resuming from revision {Revision}")]
    public static partial void WatchFailed(ILogger logger, string error, long revision);

    [LoggerMessage(EventId = 3412, EventName = "WatchError", Level = LogLevel.Error,
        Message = "The etcd watch failed; resuming from revision {Revision}")]
    public static partial void WatchError(ILogger logger, long revision, Exception exception);

    [LoggerMessage(EventId = 3413, EventName = "CommitResolved", Level = LogLevel.Warning,
        Message = "The answer to {Operation} was lost ({Error}); etcd shows it applied as version {Version}")]
    public static partial void CommitResolved(ILogger logger, string operation, long version, string error);

    [LoggerMessage(EventId = 3414, EventName = "CommitRetried", Level = LogLevel.Information,
        Message = "{Operation} did not reach etcd ({Error}); sending it again")]
    public static partial void CommitRetried(ILogger logger, string operation, string error);
}
