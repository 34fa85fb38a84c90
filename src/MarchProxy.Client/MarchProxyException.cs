using System.Globalization;
using Google.Rpc;
using Grpc.Core;

namespace MarchProxy.Client;

/// <summary>
/// A refused or failed ModuleService call, with the google.rpc.Status details the API sends:
/// every bad field (BadRequest) for INVALID_ARGUMENT, and the reason and config version (ErrorInfo)
/// for the others.
/// </summary>
public sealed class MarchProxyException : Exception
{
    public MarchProxyException()
        : this(StatusCode.Unknown, "unknown error", [], null, null, null)
    {
    }

    public MarchProxyException(string message)
        : this(StatusCode.Unknown, message, [], null, null, null)
    {
    }

    public MarchProxyException(string message, Exception innerException)
        : this(StatusCode.Unknown, message, [], null, null, innerException)
    {
    }

    public MarchProxyException(
        StatusCode statusCode,
        string detail,
        IReadOnlyList<ApiFieldViolation> fieldViolations,
        string? reason,
        long? version,
        Exception? innerException)
        : base($"{statusCode}: {detail}", innerException)
    {
        StatusCode = statusCode;
        Detail = detail;
        FieldViolations = fieldViolations;
        Reason = reason;
        Version = version;
    }

    public StatusCode StatusCode { get; }

    /// <summary>The status message, without the code.</summary>
    public string Detail { get; }

    /// <summary>Every bad field, for INVALID_ARGUMENT; empty otherwise.</summary>
    public IReadOnlyList<ApiFieldViolation> FieldViolations { get; }

    /// <summary>The ErrorInfo reason, e.g. NOT_FOUND, IN_USE, NACKED, ACK_TIMEOUT; null when absent.</summary>
    public string? Reason { get; }

    /// <summary>The config version the error is about (ErrorInfo metadata); null when absent.</summary>
    public long? Version { get; }

    /// <summary>
    /// True when the change was applied although the call failed: a node NACKed the new version
    /// (ABORTED) or the ACKs did not arrive in time (DEADLINE_EXCEEDED with reason ACK_TIMEOUT).
    /// </summary>
    public bool ChangeApplied => Reason is "NACKED" or "ACK_TIMEOUT";

    /// <summary>
    /// True when the call never reached the API: no connection, or a TLS handshake that failed
    /// (gRPC reports the latter as INTERNAL). Nothing changed.
    /// </summary>
    public bool IsConnectionFailure => InnerException is RpcException { Status.DebugException: HttpRequestException };

    /// <summary>True when the connection failed because the server's certificate was not trusted.</summary>
    public bool IsCertificateFailure => IsConnectionFailure
        && ((RpcException)InnerException!).Status.DebugException?.InnerException is System.Security.Authentication.AuthenticationException;

    /// <summary>Reads the rich status details of an RpcException (absent details are fine).</summary>
    public static MarchProxyException FromRpcException(RpcException exception)
    {
        var violations = new List<ApiFieldViolation>();
        string? reason = null;
        long? version = null;
        var status = exception.GetRpcStatus();
        if (status is not null)
        {
            if (status.GetDetail<BadRequest>() is { } badRequest)
            {
                violations.AddRange(badRequest.FieldViolations.Select(v => new ApiFieldViolation(v.Field, v.Description)));
            }

            if (status.GetDetail<ErrorInfo>() is { } info)
            {
                reason = info.Reason;
                if (info.Metadata.TryGetValue("version", out var text)
                    && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    version = parsed;
                }
            }
        }

        return new MarchProxyException(exception.StatusCode, exception.Status.Detail, violations, reason, version, exception);
    }
}
