using System.Threading.Channels;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Api.Events;

/// <summary>
/// One watcher's feed from <see cref="ConfigEventHub"/>. <see cref="Reader"/> completes when the host
/// stops; <see cref="Dispose"/> unsubscribes (call it when the stream ends).
/// </summary>
public sealed class ConfigEventSubscription : IDisposable
{
    private readonly Channel<ConfigEvent> _channel;
    private readonly Action<ConfigEventSubscription> _unsubscribe;
    private int _disposed;

    internal ConfigEventSubscription(Channel<ConfigEvent> channel, Action<ConfigEventSubscription> unsubscribe)
    {
        _channel = channel;
        _unsubscribe = unsubscribe;
    }

    public ChannelReader<ConfigEvent> Reader => _channel.Reader;

    internal ChannelWriter<ConfigEvent> Writer => _channel.Writer;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unsubscribe(this);
            _channel.Writer.TryComplete();
        }
    }
}
