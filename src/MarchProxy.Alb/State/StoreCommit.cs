namespace MarchProxy.Alb.State;

/// <summary>The answer of <see cref="IStateStore.CommitAsync"/>: the version the change got, or why it was not written.</summary>
public sealed record StoreCommit(StoreCommitStatus Status, long Version, string Error)
{
    public static StoreCommit Committed(long version) => new(StoreCommitStatus.Committed, version, string.Empty);

    public static StoreCommit Conflict(long version) => new(StoreCommitStatus.Conflict, version, "the stored state changed since it was read");

    public static StoreCommit Unavailable(string error) => new(StoreCommitStatus.Unavailable, 0, error);
}
