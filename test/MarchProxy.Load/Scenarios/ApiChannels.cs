using Grpc.Net.Client;

namespace MarchProxy.Load.Scenarios;

/// <summary>A few API connections (each its own handler), so concurrent callers are not all on one HTTP/2 connection.</summary>
internal sealed class ApiChannels : IDisposable
{
    private readonly List<GrpcChannel> _channels = [];

    public ApiChannels(Uri address, int connections)
    {
        for (var i = 0; i < Math.Max(1, connections); i++)
        {
            _channels.Add(GrpcChannel.ForAddress(address, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
                DisposeHttpClient = true,
            }));
        }
    }

    public GrpcChannel For(int caller) => _channels[caller % _channels.Count];

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
