using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Logging;

namespace MarchProxy.ControlPlane.Server;

/// <summary>Log events of the ADS server (EventIds 1100–1199).</summary>
internal static partial class AdsLog
{
    [LoggerMessage(EventId = 1100, EventName = "StreamOpened", Level = LogLevel.Information,
        Message = "{Protocol} ADS stream opened by node {NodeId} ({Kind}) from {Peer}")]
    public static partial void StreamOpened(ILogger logger, string protocol, string nodeId, NodeKind kind, string peer);

    [LoggerMessage(EventId = 1101, EventName = "StreamClosed", Level = LogLevel.Information,
        Message = "{Protocol} ADS stream of node {NodeId} ({Kind}) closed; its watch is released")]
    public static partial void StreamClosed(ILogger logger, string protocol, string nodeId, NodeKind kind);

    [LoggerMessage(EventId = 1102, EventName = "MissingNode", Level = LogLevel.Warning,
        Message = "Refused a {Protocol} ADS stream whose first request carries no node")]
    public static partial void MissingNode(ILogger logger, string protocol);

    [LoggerMessage(EventId = 1103, EventName = "ResponseSent", Level = LogLevel.Debug,
        Message = "{Protocol} {Type} response to node {NodeId}: config version {Version} ({TypeVersion}), nonce {Nonce}, {Resources} resources, {Removed} removed")]
    public static partial void ResponseSent(ILogger logger, string protocol, string nodeId, string type, long version, string typeVersion, string nonce, int resources, int removed);

    [LoggerMessage(EventId = 1104, EventName = "Acked", Level = LogLevel.Debug,
        Message = "Node {NodeId} ACKed {Type} at config version {Version} (nonce {Nonce})")]
    public static partial void Acked(ILogger logger, string nodeId, string type, long version, string nonce);

    [LoggerMessage(EventId = 1105, EventName = "Nacked", Level = LogLevel.Warning,
        Message = "Node {NodeId} rejected {Type} at config version {Version} (nonce {Nonce}); it keeps its last good config and this content will not be sent again: {Error}")]
    public static partial void Nacked(ILogger logger, string nodeId, string type, long version, string nonce, string error);

    [LoggerMessage(EventId = 1106, EventName = "StaleNonce", Level = LogLevel.Debug,
        Message = "Ignored the ACK/NACK part of a {Type} request from node {NodeId} with stale nonce '{Nonce}' (latest '{LatestNonce}')")]
    public static partial void StaleNonce(ILogger logger, string nodeId, string type, string nonce, string latestNonce);

    [LoggerMessage(EventId = 1107, EventName = "UnknownType", Level = LogLevel.Debug,
        Message = "Ignored a request from node {NodeId} for type {TypeUrl}, which this control plane does not serve")]
    public static partial void UnknownType(ILogger logger, string nodeId, string typeUrl);

    // A client that goes away (a restart, a reset connection) is routine: one line, no stack trace.
    [LoggerMessage(EventId = 1109, EventName = "ClientClosed", Level = LogLevel.Information,
        Message = "The client of node {NodeId} closed its {Protocol} ADS stream ({Reason})")]
    public static partial void ClientClosed(ILogger logger, string nodeId, string protocol, string reason);

    [LoggerMessage(EventId = 1110, EventName = "InvalidRequest", Level = LogLevel.Warning,
        Message = "Ended the {Protocol} ADS stream of node {NodeId} with INVALID_ARGUMENT: {Problem}")]
    public static partial void InvalidRequest(ILogger logger, string protocol, string nodeId, string problem);

    [LoggerMessage(EventId = 1112, EventName = "NackedHoldingBack", Level = LogLevel.Warning,
        Message = "Node {NodeId} rejected {Type} at config version {Version} (nonce {Nonce}); it keeps its last good config, and these virtual hosts are held back until they change while every other change still reaches it: {HeldBack}: {Error}")]
    public static partial void NackedHoldingBack(ILogger logger, string nodeId, string type, long version, string nonce, string heldBack, string error);

    [LoggerMessage(EventId = 1111, EventName = "StillRejected", Level = LogLevel.Debug,
        Message = "Node {NodeId}: {Type} differs from config version {Version} only by content it rejected, which is not sent again")]
    public static partial void StillRejected(ILogger logger, string nodeId, string type, long version);
}
