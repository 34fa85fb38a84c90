using System.Net.Sockets;

namespace MarchProxy.Client.Tests;

/// <summary>Counts the HTTP/2 requests (one per gRPC attempt) and fails the first ones as a refused connection would.</summary>
public sealed class CountingHandler : DelegatingHandler
{
    private int _attempts;

    public CountingHandler(int failFirst)
        : base(new SocketsHttpHandler())
    {
        FailFirst = failFirst;
    }

    public int FailFirst { get; }

    public int Attempts => Volatile.Read(ref _attempts);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        return attempt <= FailFirst
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException(
                HttpRequestError.ConnectionError, "connection refused (simulated)", new SocketException((int)SocketError.ConnectionRefused)))
            : base.SendAsync(request, cancellationToken);
    }
}
