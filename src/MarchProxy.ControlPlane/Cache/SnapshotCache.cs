using System.Collections.Immutable;
using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>The snapshot cache: one snapshot per node kind, checked for consistency before it is served.</summary>
public sealed class SnapshotCache : ISnapshotCache
{
    private static readonly int KindCount = Enum.GetValues<NodeKind>().Length;

    private readonly Lock _lock = new();
    private readonly Snapshot?[] _snapshots = new Snapshot?[KindCount];
    private readonly ImmutableArray<Registration>[] _watches = Enumerable.Repeat(ImmutableArray<Registration>.Empty, KindCount).ToArray();
    private readonly ILogger _logger;
    private int _openWatches;

    public SnapshotCache(ILogger<SnapshotCache>? logger = null)
    {
        _logger = logger ?? NullLogger<SnapshotCache>.Instance;
    }

    /// <summary>The number of open watches, all kinds together (it returns to 0 when every stream has closed).</summary>
    /// <remarks>Read by tests only: a watch a closed stream failed to release has no other visible effect.</remarks>
    public int OpenWatchCount => Volatile.Read(ref _openWatches);

    public Snapshot? GetSnapshot(NodeKind kind) => Volatile.Read(ref _snapshots[(int)kind]);

    public void SetSnapshot(NodeKind kind, Snapshot snapshot)
    {
        var errors = snapshot.CheckConsistency();
        if (errors.Count > 0)
        {
            CacheLog.SnapshotRejected(_logger, kind, snapshot.Version, errors.Count, string.Join("; ", errors));
            throw new InconsistentSnapshotException($"The {kind} snapshot at version {snapshot.Version} is inconsistent:", errors);
        }

        ImmutableArray<Registration> watches;
        lock (_lock)
        {
            var current = _snapshots[(int)kind];
            if (current is not null && snapshot.Version < current.Version)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(snapshot),
                    snapshot.Version,
                    $"The {kind} snapshot is at version {current.Version}; an older version cannot replace it.");
            }

            Volatile.Write(ref _snapshots[(int)kind], snapshot);
            watches = _watches[(int)kind];
        }

        CacheLog.SnapshotSet(_logger, kind, snapshot.Version, snapshot.ResourceCount, watches.Length);
        foreach (var watch in watches)
        {
            watch.Signal();
        }
    }

    public IDisposable Watch(NodeKind kind, Action changed)
    {
        var registration = new Registration(this, kind, changed);
        lock (_lock)
        {
            _watches[(int)kind] = _watches[(int)kind].Add(registration);
            _openWatches++;
        }

        return registration;
    }

    private void Release(Registration registration)
    {
        lock (_lock)
        {
            var before = _watches[(int)registration.Kind];
            var after = before.Remove(registration);
            if (after.Length != before.Length)
            {
                _watches[(int)registration.Kind] = after;
                _openWatches--;
            }
        }
    }

    private sealed class Registration(SnapshotCache owner, NodeKind kind, Action changed) : IDisposable
    {
        private int _disposed;

        public NodeKind Kind => kind;

        public void Signal()
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                changed();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(this);
            }
        }
    }
}
