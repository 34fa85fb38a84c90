namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The ledger's per-stream node status as a feed of changes, so a reader that follows every node
/// (WatchEvents) pays for what changed, not for every node on every ACK.
/// </summary>
public interface INodeStatusFeed
{
    /// <summary>
    /// The status of every stream whose node changed after cursor <paramref name="since"/> (0: every
    /// node the ledger still knows), oldest change first, and the cursor to pass next time.
    /// </summary>
    NodeStatusChanges GetChanges(long since);

    /// <summary>
    /// Registers <paramref name="changed"/>, called after a node's status changes, on the thread that
    /// changed it and outside the ledger's lock; it must not block. Dispose the result to release it.
    /// </summary>
    IDisposable Watch(Action changed);
}
