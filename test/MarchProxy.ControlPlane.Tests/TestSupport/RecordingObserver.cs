using System.Collections.Concurrent;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;

namespace MarchProxy.ControlPlane.Tests.TestSupport;

/// <summary>An <see cref="IControlPlaneObserver"/> that records calls and lets tests wait for stream opens and closes.</summary>
internal sealed class RecordingObserver : IControlPlaneObserver
{
    private readonly Lock _lock = new();
    private readonly List<(bool Opens, int Count, TaskCompletionSource Done)> _waiters = [];
    private int _opened;
    private int _closed;

    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<TimeSpan> AckLatencies { get; } = new();

    public int Opened => Volatile.Read(ref _opened);

    public int Closed => Volatile.Read(ref _closed);

    /// <summary>Completes once <paramref name="count"/> streams have opened (their node is registered in the ledger) in total.</summary>
    public Task WaitForOpenedAsync(int count) => WaitFor(opens: true, count);

    /// <summary>Completes once <paramref name="count"/> streams have closed in total.</summary>
    public Task WaitForClosedAsync(int count) => WaitFor(opens: false, count);

    public void StreamOpened(NodeKind kind, string protocol)
    {
        Events.Enqueue($"open:{kind}:{protocol}");
        Count(opens: true);
    }

    public void StreamClosed(NodeKind kind, string protocol)
    {
        Events.Enqueue($"close:{kind}:{protocol}");
        Count(opens: false);
    }

    public void ResponseSent(NodeKind kind, string typeUrl) => Events.Enqueue($"sent:{kind}:{typeUrl}");

    public void Acked(NodeKind kind, string typeUrl, TimeSpan pushToAck)
    {
        Events.Enqueue($"ack:{kind}:{typeUrl}");
        AckLatencies.Enqueue(pushToAck);
    }

    public void Nacked(NodeKind kind, string typeUrl) => Events.Enqueue($"nack:{kind}:{typeUrl}");

    private Task WaitFor(bool opens, int count)
    {
        lock (_lock)
        {
            if ((opens ? _opened : _closed) >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((opens, count, done));
            return done.Task;
        }
    }

    private void Count(bool opens)
    {
        lock (_lock)
        {
            var total = opens ? ++_opened : ++_closed;
            foreach (var waiter in _waiters.Where(w => w.Opens == opens && w.Count <= total).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }
}
