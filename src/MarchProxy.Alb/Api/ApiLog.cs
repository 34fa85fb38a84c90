using MarchProxy.Alb.State;

namespace MarchProxy.Alb.Api;

/// <summary>Log events of the ModuleService façade (EventIds 3000-3099).</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 3000, EventName = "MutationRefused", Level = LogLevel.Information,
        Message = "{Operation} from {Peer} refused ({Status}), nothing changed: {Reason}")]
    public static partial void MutationRefused(ILogger logger, string operation, string peer, ApplyStatus status, string reason);

    [LoggerMessage(EventId = 3001, EventName = "VersionNacked", Level = LogLevel.Warning,
        Message = "{Operation}: version {Version} was rejected by xDS nodes: {Nacks}")]
    public static partial void VersionNacked(ILogger logger, string operation, long version, string nacks);

    [LoggerMessage(EventId = 3002, EventName = "AckTimedOut", Level = LogLevel.Warning,
        Message = "{Operation}: version {Version} was not ACKed in time; {Pending} node(s) pending")]
    public static partial void AckTimedOut(ILogger logger, string operation, long version, int pending);

    [LoggerMessage(EventId = 3003, EventName = "Unauthenticated", Level = LogLevel.Warning,
        Message = "Refused {Method} from {Peer}: {Reason} ({Suppressed} more refusals since the last line)")]
    public static partial void Unauthenticated(ILogger logger, string method, string peer, string reason, long suppressed);

    [LoggerMessage(EventId = 3007, EventName = "UndecodableRequest", Level = LogLevel.Warning,
        Message = "Refused {Method} from {Peer} (INVALID_ARGUMENT): the request body is not a valid {MessageType} message ({Suppressed} more since the last line)")]
    public static partial void UndecodableRequest(ILogger logger, string method, string peer, string messageType, long suppressed);

    [LoggerMessage(EventId = 3005, EventName = "MutationApplied", Level = LogLevel.Information,
        Message = "{Operation} from {Peer} applied as version {Version}: {Detail}")]
    public static partial void MutationApplied(ILogger logger, string operation, string peer, long version, string detail);

    [LoggerMessage(EventId = 3006, EventName = "MutationUnchanged", Level = LogLevel.Debug,
        Message = "{Operation} from {Peer} changed nothing; version {Version} stays: {Detail}")]
    public static partial void MutationUnchanged(ILogger logger, string operation, string peer, long version, string detail);

    [LoggerMessage(EventId = 3004, EventName = "HotRestartFailed", Level = LogLevel.Warning,
        Message = "Reload with force: the Envoy hot restart failed ({Outcome}): {Error}")]
    public static partial void HotRestartFailed(ILogger logger, string outcome, string error);
}
