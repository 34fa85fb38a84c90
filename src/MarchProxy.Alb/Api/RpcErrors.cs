using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using MarchProxy.Alb.State;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Builds the API's errors as google.rpc.Status with rich details: INVALID_ARGUMENT carries a
/// BadRequest that lists every bad field; the others carry ErrorInfo with a reason.
/// </summary>
public static class RpcErrors
{
    public const string Domain = "marchproxy.io";

    public static RpcException FromApplyResult(ApplyResult result) => result.Status switch
    {
        ApplyStatus.Invalid => InvalidArgument(result.Message, result.Violations),
        ApplyStatus.NotFound => Create(Code.NotFound, result.Message, "NOT_FOUND", result.Version),
        ApplyStatus.FailedPrecondition => Create(Code.FailedPrecondition, result.Message, "IN_USE", result.Version),
        ApplyStatus.Unavailable => Create(Code.Unavailable, result.Message, "NOT_PERSISTED", result.Version),
        ApplyStatus.Failed => Create(Code.Internal, result.Message, "PUBLISH_FAILED", result.Version),
        ApplyStatus.Aborted => Create(Code.Aborted, result.Message, "CONFLICT", result.Version),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Status, "not an error"),
    };

    public static RpcException InvalidArgument(string message, IEnumerable<FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = message };
        status.Details.Add(Any.Pack(badRequest));
        return status.ToRpcException();
    }

    /// <summary>A status with an ErrorInfo detail whose metadata holds the config version it is about.</summary>
    public static RpcException Create(Code code, string message, string reason, long version)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        info.Metadata["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(info));
        return status.ToRpcException();
    }
}
