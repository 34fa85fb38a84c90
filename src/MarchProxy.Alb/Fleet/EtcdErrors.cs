using Grpc.Core;

namespace MarchProxy.Alb.Fleet;

/// <summary>What a failed etcd request means: a stale token, refused credentials, a request that never left, a TLS handshake.</summary>
public static class EtcdErrors
{
    /// <summary>How the connection words etcd's refusal of the configured user.</summary>
    public const string RefusedUser = "etcd refused the user";

    /// <summary>True when etcd refused the request without applying it because of a stale token.</summary>
    public static bool IsStaleToken(RpcException ex) =>
        ex.StatusCode == StatusCode.Unauthenticated && !ex.Status.Detail.StartsWith(RefusedUser, StringComparison.Ordinal);

    /// <summary>True when etcd refused the credentials or the permission: sending again cannot help.</summary>
    public static bool IsRefused(RpcException ex) =>
        ex.StatusCode == StatusCode.PermissionDenied || (ex.StatusCode == StatusCode.Unauthenticated && !IsStaleToken(ex));

    /// <summary>True when the endpoint failed: another endpoint may answer.</summary>
    public static bool IsEndpointFailure(RpcException ex) =>
        ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown;

    /// <summary>True when the request failed before a connection to etcd existed (refused, TLS handshake): it was not sent.</summary>
    public static bool NeverSent(RpcException ex)
    {
        for (var inner = ex.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError }
                || inner is System.Security.Authentication.AuthenticationException
                || inner.Message.Contains("connection could not be established", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Why a request failed, for mutations' answers, GetStatus and the log; names the TLS settings when the handshake failed.</summary>
    public static string Describe(RpcException ex, bool tls)
    {
        if (IsRefused(ex))
        {
            return $"etcd refused the request ({ex.StatusCode}: {ex.Status.Detail})";
        }

        var text = $"etcd did not answer ({ex.StatusCode}: {ex.Status.Detail})";
        return tls && IsHandshakeFailure(ex) ? text + "; the TLS handshake failed: check ETCD_CA_FILE, ETCD_CERT_FILE and ETCD_KEY_FILE" : text;
    }

    private static bool IsHandshakeFailure(RpcException ex)
    {
        var handshake = ex.Status.Detail.Contains("SSL", StringComparison.Ordinal);
        for (var inner = ex.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException)
            {
                // Refused or unreachable: etcd is down, the certificates are not the question.
                return false;
            }

            handshake |= inner is System.Security.Authentication.AuthenticationException
                || inner.Message.Contains("TLS alert", StringComparison.Ordinal)
                || inner.Message.Contains("SslStream", StringComparison.Ordinal)
                || inner.Message.Contains("could not be established", StringComparison.Ordinal);
        }

        return handshake;
    }
}
