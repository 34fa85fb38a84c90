using System.Globalization;
using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The ACK/NACK ledger. Each xDS stream registers a <see cref="NodeTracker"/> with
/// <see cref="Connect"/> and reports through it; waiters are re-evaluated on every change, and
/// <see cref="INodeStatusFeed"/> watchers are told after it. Memory is bounded: a tracker leaves the
/// connected list when its stream ends, and only the <see cref="MaxDisconnectedNodes"/> most recent
/// disconnected nodes are kept for status.
/// </summary>
public sealed class AckLedger : IAckLedger, INodeStatusFeed
{
    public const int MaxDisconnectedNodes = 32;

    private readonly Lock _lock = new();
    private readonly List<NodeTracker> _connected = [];
    private readonly Queue<NodeTracker> _disconnected = new();
    private readonly List<Waiter> _waiters = [];
    private readonly NodeChangeFeed _feed = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _streams;

    public AckLedger(TimeProvider time, ILogger<AckLedger>? logger = null)
    {
        _time = time;
        _logger = logger ?? NullLogger<AckLedger>.Instance;
    }

    public IReadOnlyList<NodeAckState> GetNodes()
    {
        lock (_lock)
        {
            return _connected.OrderBy(n => n.NodeId, StringComparer.Ordinal)
                .Concat(_disconnected.Reverse())
                .Select(n => n.ToState())
                .ToList();
        }
    }

    public bool HasAckedClustersAndListeners(NodeKind kind)
    {
        lock (_lock)
        {
            return _connected.Any(n => n.Kind == kind && n.EverAcked(ResourceTypes.Cluster) && n.EverAcked(ResourceTypes.Listener));
        }
    }

    /// <summary>Some connected stream of node <paramref name="nodeId"/> has ACKed CDS and LDS at least once.</summary>
    public bool HasAckedClustersAndListeners(string nodeId)
    {
        lock (_lock)
        {
            return _connected.Any(n => n.NodeId == nodeId && n.EverAcked(ResourceTypes.Cluster) && n.EverAcked(ResourceTypes.Listener));
        }
    }

    /// <summary>How many streams are connected now.</summary>
    internal int ConnectedStreams
    {
        get
        {
            lock (_lock)
            {
                return _connected.Count;
            }
        }
    }

    public NodeStatusChanges GetChanges(long since)
    {
        lock (_lock)
        {
            return _feed.Since(since);
        }
    }

    public IDisposable Watch(Action changed) => _feed.Watch(changed, _lock);

    public async Task<AckWaitResult> WaitForAckAsync(NodeKind kind, long version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or more, or infinite.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            var (result, done) = Evaluate(kind, version);
            if (done)
            {
                return result;
            }

            waiter = new Waiter(kind, version);
            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            AckWaitResult result;
            lock (_lock)
            {
                _waiters.Remove(waiter);
                result = waiter.Completion.Task.IsCompletedSuccessfully
                    ? waiter.Completion.Task.Result
                    : Evaluate(kind, version).Result with { TimedOut = true };
            }

            if (result.TimedOut)
            {
                CacheLog.AckWaitTimedOut(_logger, kind, version, string.Join(", ", result.PendingNodes));
            }

            return result;
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }

            throw;
        }
    }

    /// <summary>Registers a new stream's node. Dispose the tracker when the stream ends.</summary>
    internal NodeTracker Connect(string nodeId, NodeKind kind)
    {
        NodeTracker tracker;
        lock (_lock)
        {
            tracker = new NodeTracker(this, ++_streams, nodeId, kind);
            _connected.Add(tracker);
            _feed.Add(tracker);
            Reevaluate(kind);
        }

        _feed.Notify();
        return tracker;
    }

    internal void Update(NodeTracker tracker, Func<NodeTracker, bool> change)
    {
        lock (_lock)
        {
            if (!tracker.Apply(change))
            {
                return;
            }

            _feed.Touch(tracker);
            if (tracker.Connected)
            {
                Reevaluate(tracker.Kind);
            }
        }

        _feed.Notify();
    }

    internal void Nacked(NodeTracker tracker, string typeUrl, long version, string error, IReadOnlyList<HeldBackHost>? heldBack)
    {
        var info = new NackInfo(typeUrl, version.ToString(CultureInfo.InvariantCulture), error, _time.GetUtcNow());
        Update(tracker, t => t.ApplyNack(typeUrl, version, info, heldBack));
    }

    internal void Disconnect(NodeTracker tracker)
    {
        lock (_lock)
        {
            if (!_connected.Remove(tracker))
            {
                return;
            }

            tracker.Connected = false;
            tracker.Release();
            _feed.Touch(tracker);
            _disconnected.Enqueue(tracker);
            while (_disconnected.Count > MaxDisconnectedNodes)
            {
                _feed.Forget(_disconnected.Dequeue());
            }

            Reevaluate(tracker.Kind);
        }

        _feed.Notify();
    }

    private void Reevaluate(NodeKind kind)
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            if (waiter.Kind != kind)
            {
                continue;
            }

            var (result, done) = Evaluate(kind, waiter.Version);
            if (done)
            {
                _waiters.RemoveAt(i);
                waiter.Completion.TrySetResult(result);
            }
        }
    }

    private (AckWaitResult Result, bool Done) Evaluate(NodeKind kind, long version)
    {
        var acked = 0;
        var pending = new List<string>();
        var nacks = new List<string>();
        foreach (var node in _connected.Where(n => n.Kind == kind))
        {
            if (node.RejectedAtOrAbove(version) is { } nack)
            {
                nacks.Add($"{node.NodeId}: {nack.Error}");
            }
            else if (node.HasAcked(version))
            {
                acked++;
            }
            else
            {
                pending.Add(node.NodeId);
            }
        }

        var result = new AckWaitResult(acked, pending, nacks, TimedOut: false);
        return (result, nacks.Count > 0 || pending.Count == 0);
    }

    private sealed class Waiter(NodeKind kind, long version)
    {
        public NodeKind Kind => kind;

        public long Version => version;

        public TaskCompletionSource<AckWaitResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
