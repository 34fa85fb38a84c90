using System.Net.Sockets;
using System.Text;

namespace MarchProxy.FakeEnvoy;

/// <summary>
/// The fake's hot-restart channel, after Envoy's: every epoch listens on an abstract Unix socket named
/// by its base id and epoch; epoch N+1 connects to epoch N's. The messages mirror Envoy's
/// HotRestartMessage requests: "shutdown_admin" (the parent closes its admin listener and replies, so
/// the child can bind the same port), "drain_listeners" and "terminate". As in Envoy, an epoch 0 whose
/// socket is taken (another Envoy with this base id runs) fails to start.
/// </summary>
internal sealed class HotRestartLink : IDisposable
{
    private readonly Socket _listener;

    private HotRestartLink(Socket listener) => _listener = listener;

    public static string SocketName(long baseId, int epoch) => $"\0marchproxy-fake-envoy.{baseId}.parent.{epoch}";

    /// <summary>Binds this epoch's parent socket; null when it is in use.</summary>
    public static HotRestartLink? TryBind(long baseId, int epoch)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(SocketName(baseId, epoch)));
            socket.Listen(4);
            return new HotRestartLink(socket);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Connects to the parent epoch; null when there is none.</summary>
    public static async Task<ParentConnection?> ConnectToParentAsync(long baseId, int parentEpoch, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketName(baseId, parentEpoch)), cancellationToken);
            return new ParentConnection(socket);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Serves a child's requests; <paramref name="handle"/> returns the reply line, or null for none.</summary>
    public async Task ServeChildrenAsync(Func<string, Task<string?>> handle, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = await _listener.AcceptAsync(cancellationToken);
            _ = Task.Run(() => ServeAsync(connection, handle, cancellationToken), cancellationToken);
        }
    }

    public void Dispose() => _listener.Dispose();

    private static async Task ServeAsync(Socket connection, Func<string, Task<string?>> handle, CancellationToken cancellationToken)
    {
        using (connection)
        await using (var stream = new NetworkStream(connection, ownsSocket: false))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true })
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (await handle(line) is { } reply)
                {
                    await writer.WriteLineAsync(reply.AsMemory(), cancellationToken);
                }
            }
        }
    }
}

/// <summary>A child's connection to its parent epoch.</summary>
internal sealed class ParentConnection(Socket socket) : IDisposable
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private StreamReader? _reader;
    private StreamWriter? _writer;

    public async Task<string?> RequestAsync(string message, bool expectReply, CancellationToken cancellationToken)
    {
        _reader ??= new StreamReader(_stream, Encoding.UTF8);
        _writer ??= new StreamWriter(_stream, new UTF8Encoding(false)) { AutoFlush = true };
        await _writer.WriteLineAsync(message.AsMemory(), cancellationToken);
        return expectReply ? await _reader.ReadLineAsync(cancellationToken) : null;
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _writer?.Dispose();
        _stream.Dispose();
    }
}
