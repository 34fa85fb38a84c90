namespace MarchProxy.Alb.State;

/// <summary>
/// Where the config store keeps the accepted state: the local file (<see cref="FileStateStore"/>, the
/// default) or etcd, shared by a fleet. The config store validates and publishes; the store decides the
/// version a change gets and makes it durable before it is acknowledged.
/// </summary>
public interface IStateStore
{
    /// <summary>A human-readable location for messages.</summary>
    string Location { get; }

    /// <summary>True when many ALBs share this store (version numbers come from it, not from the count of changes).</summary>
    bool IsShared { get; }

    /// <summary>
    /// The state to start from, or null when the store holds none (the config store then seeds it from
    /// the standalone config). Throws <see cref="InvalidDataException"/> when what it holds is unusable.
    /// </summary>
    Task<StoredState?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="seed"/> in an empty store; when another writer seeded it first, returns
    /// that state instead. The answer carries the version the store gave it.
    /// </summary>
    Task<StoredState> SeedAsync(StoredState seed, CancellationToken cancellationToken);

    /// <summary>The version a change of <paramref name="current"/> is validated with.</summary>
    long ProvisionalVersion(StoredState current);

    /// <summary>
    /// Makes <paramref name="next"/> (a change of <paramref name="current"/>) durable, unless the stored
    /// state moved past <paramref name="current"/> meanwhile (<see cref="StoreCommitStatus.Conflict"/>).
    /// </summary>
    Task<StoreCommit> CommitAsync(string operation, StoredState current, StoredState next, CancellationToken cancellationToken);

    /// <summary>Puts <paramref name="current"/> back after a commit whose publish failed; false when that is impossible.</summary>
    bool Revert(StoredState current, out string error);

    /// <summary>After a conflict: completes once the state newer than <paramref name="version"/> is applied, or after a short bound.</summary>
    Task WaitForNewerAsync(long version, CancellationToken cancellationToken);
}
