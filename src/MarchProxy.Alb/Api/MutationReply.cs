using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>
/// A successful mutation: its version (the one it would get, for validate_only), a message, the ACK
/// status (null unless wait_for_ack was asked for), and the resulting desired state.
/// </summary>
public sealed record MutationReply(long Version, string Message, AckStatus? Ack, DesiredState State);
