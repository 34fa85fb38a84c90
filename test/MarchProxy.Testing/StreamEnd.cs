using Grpc.Core;

namespace MarchProxy.Testing;

/// <summary>How a server-streaming gRPC call ended, read as a client reads it.</summary>
public static class StreamEnd
{
    /// <summary>
    /// Reads <paramref name="stream"/> to its end and returns the status the server ended it with.
    /// </summary>
    /// <remarks>
    /// When the server ends a call whose request stream the client still holds open (an ADS stream: an
    /// Envoy never half-closes), Kestrel follows the trailers with RST_STREAM(CANCEL) at once. Envoy, grpc-go
    /// and grpc-js read the trailers; the .NET client sometimes lets the reset overtake trailers it has
    /// already received and reports CANCELLED (or INTERNAL) from an HttpProtocolException instead. The
    /// trailers' status is then not observable from this client, so such an end is reported as
    /// <paramref name="whenResetAfterTheEnd"/>: the caller passes the status the server is known to send,
    /// and a reset for any other reason (a timeout, a crash) still fails the caller's assertion because
    /// its detail does not name an HTTP/2 reset of the stream.
    /// </remarks>
    public static async Task<StatusCode> OfAsync<T>(IAsyncStreamReader<T> stream, StatusCode whenResetAfterTheEnd)
    {
        try
        {
            while (await stream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
            }

            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return IsResetOfAnEndedStream(ex.Status) ? whenResetAfterTheEnd : ex.StatusCode;
        }
    }

    private static bool IsResetOfAnEndedStream(Status status) =>
        status.StatusCode is StatusCode.Cancelled or StatusCode.Internal
        && status.Detail.Contains("The HTTP/2 server reset the stream. HTTP/2 error code 'CANCEL'", StringComparison.Ordinal);
}
