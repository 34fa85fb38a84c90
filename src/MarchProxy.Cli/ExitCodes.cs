using Grpc.Core;

namespace MarchProxy.Cli;

/// <summary>
/// The exit codes scripts can rely on. They are part of the tool's contract: a code never changes
/// meaning; new ones take new numbers.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done (for <c>diff</c>: no differences).</summary>
    public const int Ok = 0;

    /// <summary><c>diff</c> found differences between the file and the live config.</summary>
    public const int Differences = 1;

    /// <summary>Bad command line, or an unreadable or invalid input file. Nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>INVALID_ARGUMENT: the API refused the request; every bad field is printed. Nothing changed.</summary>
    public const int InvalidArgument = 3;

    /// <summary>NOT_FOUND: no such route or cluster. Nothing changed.</summary>
    public const int NotFound = 4;

    /// <summary>FAILED_PRECONDITION: e.g. deleting a cluster that a route uses. Nothing changed.</summary>
    public const int FailedPrecondition = 5;

    /// <summary>UNAUTHENTICATED or PERMISSION_DENIED: a missing or wrong API key.</summary>
    public const int Unauthenticated = 6;

    /// <summary>UNAVAILABLE: the ALB cannot be reached (after retries; also a failed TLS handshake), or could not persist the change.</summary>
    public const int Unavailable = 7;

    /// <summary>ABORTED: an xDS node NACKed the new version. The change is applied (the desired state keeps it).</summary>
    public const int Nacked = 8;

    /// <summary>DEADLINE_EXCEEDED: the ACKs (or the answer) did not arrive in time. A mutation is applied.</summary>
    public const int Timeout = 9;

    /// <summary>The server answered but reported success = false (e.g. a Reload whose hot restart failed).</summary>
    public const int Failed = 10;

    /// <summary>Any other server error (INTERNAL, UNKNOWN, ...).</summary>
    public const int ServerError = 11;

    /// <summary><c>health</c>: the ALB answered but is not ready (or not live).</summary>
    public const int NotReady = 12;

    /// <summary>Interrupted (Ctrl+C) before the command finished.</summary>
    public const int Interrupted = 130;

    public static int FromStatus(StatusCode code) => code switch
    {
        StatusCode.OK => Ok,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => InvalidArgument,
        StatusCode.NotFound => NotFound,
        StatusCode.FailedPrecondition or StatusCode.AlreadyExists => FailedPrecondition,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => Unauthenticated,
        StatusCode.Unavailable => Unavailable,
        StatusCode.Aborted => Nacked,
        StatusCode.DeadlineExceeded => Timeout,
        StatusCode.Cancelled => Interrupted,
        _ => ServerError,
    };
}
