using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>
/// A successful mutation: its version (the new one when applied; the current one when nothing changed
/// or for validate_only, which was checked against it), a message, whether it changed nothing, the ACK
/// status (null unless wait_for_ack was asked for), and the resulting desired state.
/// </summary>
public sealed record MutationReply(long Version, string Message, AckStatus? Ack, DesiredState State, bool Unchanged = false, bool Validated = false);
