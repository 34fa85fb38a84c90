using System.Net;
using System.Net.Sockets;
using System.Text;
using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Tests.Hosting;

/// <summary>Connection caps and idle timeouts, driven with raw sockets.</summary>
public sealed class ConnectionLimitTests : SharedAlbHostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Alb:MaxConnections"] = "1",
        ["Alb:KeepAliveTimeout"] = "00:00:01",
        ["Alb:RequestHeadersTimeout"] = "00:00:01",
    };

    [Test]
    public async Task Connect_BeyondMaxConnections_IsClosedAtOnceWhileTheFirstIsServed()
    {
        using var first = await ConnectAsync(EndpointRole.Metrics);
        await first.SendAsync(Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
        (await ReadAsync(first)).Should().BeGreaterThan(0, "the first connection is served");

        using var second = await ConnectAsync(EndpointRole.Metrics);

        (await ReadAsync(second)).Should().Be(0, "the second connection is over the cap and closed");
    }

    [Test]
    public async Task Connect_SilentClientOnTheAdsPort_IsClosedAfterTheTimeout()
    {
        using var idle = await ConnectAsync(EndpointRole.Xds);

        // Kestrel checks its timeouts once a second: the silent connection ends within a few seconds,
        // possibly after a GOAWAY frame.
        while (await ReadAsync(idle) > 0)
        {
        }
    }

    private async Task<Socket> ConnectAsync(EndpointRole role)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Host.Port(role))).DefaultTimeout();
        return socket;
    }

    /// <summary>Bytes read, 0 when the server closed the connection (a reset counts as closed).</summary>
    private static async Task<int> ReadAsync(Socket socket)
    {
        var buffer = new byte[4096];
        try
        {
            return await socket.ReceiveAsync(buffer.AsMemory()).AsTask().DefaultTimeout();
        }
        catch (SocketException)
        {
            return 0;
        }
    }
}
