namespace MarchProxy.Alb.State;

public enum StoreCommitStatus
{
    /// <summary>Durable at <see cref="StoreCommit.Version"/>.</summary>
    Committed = 0,

    /// <summary>The stored state moved on since the change was validated; nothing was written.</summary>
    Conflict = 1,

    /// <summary>The store cannot be written (a full disk, etcd unreachable); nothing was written.</summary>
    Unavailable = 2,
}
