using System.Net;
using System.Net.Sockets;

namespace MarchProxy.Testing;

/// <summary>
/// A TCP relay on a free loopback port in front of one server (e.g. an etcd member), to fail the path
/// between a client and that server while the server keeps running: <see cref="HoldReplies"/> stops
/// passing the server's bytes on (the client's requests still arrive and are applied), and
/// <see cref="Cut"/> resets every connection and refuses new ones.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly List<TcpClient> _sockets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _holding;
    private int _cut;

    public TcpRelay(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>From now on the server's bytes are dropped: the client waits for answers that never come.</summary>
    public void HoldReplies() => _holding = true;

    /// <summary>Resets every relayed connection and stops accepting: the relay's port refuses connections.</summary>
    public void Cut()
    {
        if (Interlocked.Exchange(ref _cut, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                try
                {
                    // Null once its pump closed it.
                    if (socket.Client is { } raw)
                    {
                        raw.LingerState = new LingerOption(true, 0);
                    }
                }
                catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
                {
                    // Already closed by its pump.
                }

                socket.Dispose();
            }

            _sockets.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Cut();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new TcpClient();
            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(server);
            }

            _ = RelayAsync(client, server);
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient server)
    {
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            await Task.WhenAny(
                PumpAsync(client.GetStream(), server.GetStream(), fromServer: false),
                PumpAsync(server.GetStream(), client.GetStream(), fromServer: true));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The relay was cut, or a side closed.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool fromServer)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (fromServer && _holding)
                {
                    continue;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The relay was cut, or a side closed.
        }
    }
}
