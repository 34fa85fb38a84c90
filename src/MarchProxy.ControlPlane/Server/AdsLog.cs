using Microsoft.Extensions.Logging;

namespace MarchProxy.ControlPlane.Server;

/// <summary>Log events of the ADS server (EventIds 1100–1199).</summary>
internal static partial class AdsLog
{
    [LoggerMessage(EventId = 1100, EventName = "StreamOpened", Level = LogLevel.Information,
        Message = "{Protocol} ADS stream opened by node {NodeId} ({Kind})")]
    public static partial void StreamOpened(ILogger logger, string protocol, string nodeId, NodeKind kind);

    [LoggerMessage(EventId = 1101, EventName = "StreamClosed", Level = LogLevel.Information,
        Message = "{Protocol} ADS stream of node {NodeId} ({Kind}) closed; its watch is released")]
    public static partial void StreamClosed(ILogger logger, string protocol, string nodeId, NodeKind kind);

    [LoggerMessage(EventId = 1102, EventName = "MissingNode", Level = LogLevel.Warning,
        Message = "Refused a {Protocol} ADS stream whose first request carries no node")]
    public static partial void MissingNode(ILogger logger, string protocol);

    [LoggerMessage(EventId = 1103, EventName = "ResponseQueued", Level = LogLevel.Debug,
        Message = "{Protocol} {Type} response to node {NodeId}: config version {Version}, nonce {Nonce}, {Upserts} changed, {Removals} removed, staged {Staged}")]
    public static partial void ResponseQueued(ILogger logger, string protocol, string nodeId, string type, long version, string nonce, int upserts, int removals, bool staged);

    [LoggerMessage(EventId = 1104, EventName = "Acked", Level = LogLevel.Debug,
        Message = "Node {NodeId} ACKed {Type} at config version {Version} (nonce {Nonce})")]
    public static partial void Acked(ILogger logger, string nodeId, string type, long version, string nonce);

    [LoggerMessage(EventId = 1105, EventName = "Nacked", Level = LogLevel.Warning,
        Message = "Node {NodeId} rejected {Type} at config version {Version} (nonce {Nonce}); it keeps its last good config and this version will not be sent again: {Error}")]
    public static partial void Nacked(ILogger logger, string nodeId, string type, long version, string nonce, string error);

    [LoggerMessage(EventId = 1106, EventName = "StaleNonce", Level = LogLevel.Debug,
        Message = "Ignored a {Type} request from node {NodeId} with stale nonce '{Nonce}' (latest '{LatestNonce}')")]
    public static partial void StaleNonce(ILogger logger, string nodeId, string type, string nonce, string latestNonce);

    [LoggerMessage(EventId = 1107, EventName = "UnknownType", Level = LogLevel.Debug,
        Message = "Ignored a request from node {NodeId} for type {TypeUrl}, which this control plane does not serve")]
    public static partial void UnknownType(ILogger logger, string nodeId, string typeUrl);

    // A client that goes away (a restart, a reset connection) is routine: one line, no stack trace.
    [LoggerMessage(EventId = 1108, EventName = "StreamBroken", Level = LogLevel.Information,
        Message = "The ADS stream of node {NodeId} broke while trying to {Direction} ({Error}); closing it")]
    public static partial void StreamBroken(ILogger logger, string nodeId, string direction, string error);
}
