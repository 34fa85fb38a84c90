namespace MarchProxy.Alb.State;

/// <summary>
/// The single-node store: the whole state in DATA_DIR through <see cref="IStatePersistence"/>. Versions
/// count the applied changes (the next one is the current one plus one), and nothing else writes the
/// file, so a commit never conflicts.
/// </summary>
public sealed class FileStateStore(IStatePersistence persistence, ILogger<ConfigStore> logger) : IStateStore
{
    public string Location => persistence.Location;

    public bool IsShared => false;

    public Task<StoredState?> LoadAsync(CancellationToken cancellationToken)
    {
        var loaded = persistence.Load();
        if (loaded is not null)
        {
            StateLog.Restored(logger, loaded.Version, loaded.State.Routes.Count, loaded.State.Clusters.Count, persistence.Location);
        }

        return Task.FromResult(loaded);
    }

    public Task<StoredState> SeedAsync(StoredState seed, CancellationToken cancellationToken)
    {
        var first = new StoredState(seed.State with { Version = 1 }, seed.Ownership);
        try
        {
            persistence.Save(first);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A DATA_DIR that cannot be written (read-only, a file, no space) stops the start, naming where.
            throw new InvalidDataException($"The state cannot be persisted to {persistence.Location}: {ex.Message}", ex);
        }

        return Task.FromResult(first);
    }

    public long ProvisionalVersion(StoredState current) => current.Version + 1;

    public Task<StoreCommit> CommitAsync(string operation, StoredState current, StoredState next, CancellationToken cancellationToken) =>
        Task.FromResult(TrySave(next, out var error) ? StoreCommit.Committed(next.Version) : StoreCommit.Unavailable(error));

    public bool Revert(StoredState current, out string error) => TrySave(current, out error);

    public Task WaitForNewerAsync(long version, CancellationToken cancellationToken) => Task.CompletedTask;

    private bool TrySave(StoredState state, out string error)
    {
        try
        {
            persistence.Save(state);
            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            StateLog.PersistFailed(logger, state.Version, persistence.Location, ex);
            error = ex.Message;
            return false;
        }
    }
}
