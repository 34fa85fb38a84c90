namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The ledger's trackers in the order they last changed, and who to tell about changes (see
/// <see cref="INodeStatusFeed"/>). Every method but <see cref="Notify"/> runs under the ledger's lock;
/// <see cref="Notify"/> runs outside it, on the thread that changed the ledger.
/// </summary>
internal sealed class NodeChangeFeed
{
    // Least recently changed first, so the changes after a cursor are a walk back from the end.
    private readonly LinkedList<NodeTracker> _byChange = new();
    private Action[] _watchers = [];
    private long _sequence;

    public void Add(NodeTracker tracker)
    {
        tracker.ChangeNode = _byChange.AddLast(tracker);
        Touch(tracker);
    }

    /// <summary>Marks a tracker changed, unless the ledger has forgotten it.</summary>
    public void Touch(NodeTracker tracker)
    {
        if (tracker.ChangeNode is not { } node)
        {
            return;
        }

        tracker.ChangeSequence = ++_sequence;
        if (node != _byChange.Last)
        {
            _byChange.Remove(node);
            _byChange.AddLast(node);
        }
    }

    public void Forget(NodeTracker tracker)
    {
        if (tracker.ChangeNode is { } node)
        {
            _byChange.Remove(node);
            tracker.ChangeNode = null;
        }
    }

    public NodeStatusChanges Since(long since)
    {
        var changes = new List<NodeStatusChange>();
        for (var node = _byChange.Last; node is not null && node.Value.ChangeSequence > since; node = node.Previous)
        {
            changes.Add(new NodeStatusChange(node.Value.StreamId, node.Value.ToState()));
        }

        changes.Reverse();
        return new NodeStatusChanges(changes, _sequence);
    }

    public IDisposable Watch(Action changed, Lock ledgerLock)
    {
        var registration = new Registration(this, changed, ledgerLock);
        lock (ledgerLock)
        {
            _watchers = [.. _watchers, registration.Notify];
        }

        return registration;
    }

    public void Notify()
    {
        foreach (var watcher in Volatile.Read(ref _watchers))
        {
            watcher();
        }
    }

    private sealed class Registration(NodeChangeFeed owner, Action changed, Lock ledgerLock) : IDisposable
    {
        private int _disposed;

        public void Notify()
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
                lock (ledgerLock)
                {
                    owner._watchers = [.. owner._watchers.Where(w => !w.Equals((Action)Notify))];
                }
            }
        }
    }
}
