using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Builds the API's errors as google.rpc.Status with rich details: INVALID_ARGUMENT carries a
/// BadRequest that lists the bad fields (at most <see cref="FieldViolations.MaxReported"/>, each cut
/// short, so that an error stays well inside any client's metadata limit); the others carry ErrorInfo
/// with a reason.
/// </summary>
public static class RpcErrors
{
    public const string Domain = "marchproxy.io";

    /// <summary>The longest grpc-message an error gets.</summary>
    public const int MaxMessageLength = 1024;

    /// <summary>
    /// The error for a refused mutation. <paramref name="fields"/> maps the model's paths (from the
    /// whole-state checks) onto the request's fields.
    /// </summary>
    public static RpcException FromApplyResult(ApplyResult result, RequestFields? fields = null) => result.Status switch
    {
        ApplyStatus.Invalid => InvalidArgument(Lead(result.Message), fields is null ? result.Violations : result.Violations.Select(v => v with { Field = fields.Map(v.Field) })),
        ApplyStatus.NotFound => Create(Code.NotFound, result.Message, "NOT_FOUND", result.Version),
        ApplyStatus.FailedPrecondition => Create(Code.FailedPrecondition, result.Message, "IN_USE", result.Version),
        ApplyStatus.Unavailable => Create(Code.Unavailable, result.Message, "NOT_PERSISTED", result.Version),
        ApplyStatus.Failed => Create(Code.Internal, result.Message, "PUBLISH_FAILED", result.Version),
        ApplyStatus.Aborted => Create(Code.Aborted, result.Message, "CONFLICT", result.Version),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Status, "not an error"),
    };

    /// <summary>INVALID_ARGUMENT: "<paramref name="lead"/>: the first violations …" and a BadRequest with the first 20.</summary>
    public static RpcException InvalidArgument(string lead, IEnumerable<FieldViolation> violations)
    {
        var bounded = FieldViolations.Bound(violations, out var omitted);
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(bounded.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        var message = bounded.Count == 0 ? lead : FieldViolations.Describe(bounded, omitted, lead);
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = ValidationText.Truncate(message, MaxMessageLength) };
        status.Details.Add(Any.Pack(badRequest));
        return status.ToRpcException();
    }

    /// <summary>A status with an ErrorInfo detail whose metadata holds the config version it is about.</summary>
    public static RpcException Create(Code code, string message, string reason, long version)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        info.Metadata["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var status = new Google.Rpc.Status { Code = (int)code, Message = ValidationText.Truncate(message, MaxMessageLength) };
        status.Details.Add(Any.Pack(info));
        return status.ToRpcException();
    }

    /// <summary>The part of a store message before its list of problems ("the resulting configuration is invalid").</summary>
    private static string Lead(string message)
    {
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        var lead = colon > 0 ? message[..colon] : message;
        return ValidationText.Truncate(lead, 120);
    }
}
