using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>
/// A mutation the store accepted (a refusal, a NACK or an ACK timeout is an RpcException instead): the
/// store's answer and the ACK status (null unless wait_for_ack was asked for). Each RPC's response is
/// built from it.
/// </summary>
public sealed record MutationReply(ApplyResult Result, AckStatus? Ack)
{
    /// <summary>The new version when applied; the current one when nothing changed or for validate_only (checked against it).</summary>
    public long Version => Result.Version;

    public string Message => Result.Message;

    /// <summary>The desired state after the mutation.</summary>
    public DesiredState State => Result.State;

    public bool Unchanged => Result.Status == ApplyStatus.Unchanged;
}
