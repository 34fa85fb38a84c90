using System.Collections.Concurrent;

namespace MarchProxy.ControlPlane.Tests.TestSupport;

/// <summary>An <see cref="IControlPlaneObserver"/> that records calls and lets tests wait for stream closes.</summary>
internal sealed class RecordingObserver : IControlPlaneObserver
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _closeWaiters = [];
    private int _closed;

    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<TimeSpan> AckLatencies { get; } = new();

    public int Opened => Events.Count(e => e.StartsWith("open:", StringComparison.Ordinal));

    public int Closed => Volatile.Read(ref _closed);

    /// <summary>Completes once <paramref name="count"/> streams have closed in total.</summary>
    public Task WaitForClosedAsync(int count)
    {
        lock (_lock)
        {
            if (_closed >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _closeWaiters.Add((count, done));
            return done.Task;
        }
    }

    public void StreamOpened(NodeKind kind, string protocol) => Events.Enqueue($"open:{kind}:{protocol}");

    public void StreamClosed(NodeKind kind, string protocol)
    {
        Events.Enqueue($"close:{kind}:{protocol}");
        lock (_lock)
        {
            _closed++;
            foreach (var waiter in _closeWaiters.Where(w => w.Count <= _closed).ToList())
            {
                _closeWaiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    public void ResponseSent(NodeKind kind, string typeUrl) => Events.Enqueue($"sent:{kind}:{typeUrl}");

    public void Acked(NodeKind kind, string typeUrl, TimeSpan pushToAck)
    {
        Events.Enqueue($"ack:{kind}:{typeUrl}");
        AckLatencies.Enqueue(pushToAck);
    }

    public void Nacked(NodeKind kind, string typeUrl) => Events.Enqueue($"nack:{kind}:{typeUrl}");
}
