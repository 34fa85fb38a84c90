namespace MarchProxy.Alb.State;

/// <summary>Log events of the config store and the standalone config (EventIds 3100-3199).</summary>
internal static partial class StateLog
{
    [LoggerMessage(EventId = 3100, EventName = "StateRestored", Level = LogLevel.Information,
        Message = "Restored desired state version {Version} ({Routes} routes, {Clusters} clusters) from {Location}")]
    public static partial void Restored(ILogger logger, long version, int routes, int clusters, string location);

    [LoggerMessage(EventId = 3101, EventName = "StandaloneConfigLoaded", Level = LogLevel.Information,
        Message = "No persisted state; loaded the standalone config {Path} ({Routes} routes, {Clusters} clusters)")]
    public static partial void StandaloneLoaded(ILogger logger, string path, int routes, int clusters);

    [LoggerMessage(EventId = 3102, EventName = "StartingEmpty", Level = LogLevel.Warning,
        Message = "No persisted state and no standalone config file: starting with an empty configuration")]
    public static partial void StartingEmpty(ILogger logger);

    // Debug: the API logs each change once, with its caller (ApiLog 3005); refusals likewise (ApiLog 3000).
    [LoggerMessage(EventId = 3103, EventName = "MutationApplied", Level = LogLevel.Debug,
        Message = "{Operation} applied as version {Version}: {Detail}")]
    public static partial void Applied(ILogger logger, string operation, long version, string detail);

    [LoggerMessage(EventId = 3104, EventName = "MutationRejected", Level = LogLevel.Debug,
        Message = "{Operation} rejected, nothing changed: {Reason}")]
    public static partial void Rejected(ILogger logger, string operation, string reason);

    [LoggerMessage(EventId = 3105, EventName = "PersistFailed", Level = LogLevel.Error,
        Message = "Persisting version {Version} to {Location} failed; the change is refused and the previous state kept")]
    public static partial void PersistFailed(ILogger logger, long version, string location, Exception exception);

    [LoggerMessage(EventId = 3106, EventName = "PublishFailed", Level = LogLevel.Error,
        Message = "Publishing version {Version} failed after its dry run succeeded; the previous state is kept: {Error}")]
    public static partial void PublishFailed(ILogger logger, long version, string error);

    [LoggerMessage(EventId = 3107, EventName = "RollbackFailed", Level = LogLevel.Critical,
        Message = "Restoring the persisted file to version {Version} failed ({Error}); the file is ahead of the served state until the next mutation")]
    public static partial void RollbackFailed(ILogger logger, long version, string error);

    [LoggerMessage(EventId = 3108, EventName = "DirectoryNotFlushed", Level = LogLevel.Debug,
        Message = "Could not fsync the directory {Directory} after a rename")]
    public static partial void DirectoryNotFlushed(ILogger logger, string directory);

    [LoggerMessage(EventId = 3109, EventName = "ExternalStateRejected", Level = LogLevel.Error,
        Message = "Version {Version} from {Location} cannot be served; the previous state keeps serving: {Error}")]
    public static partial void ExternalRejected(ILogger logger, long version, string location, string error);

    [LoggerMessage(EventId = 3110, EventName = "MutationConflicted", Level = LogLevel.Debug,
        Message = "{Operation} validated against version {Version} conflicted with a newer change (attempt {Attempt}); validating again")]
    public static partial void Conflicted(ILogger logger, string operation, long version, int attempt);
}
