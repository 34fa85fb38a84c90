namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// Thrown when a snapshot that references a resource it does not contain is offered to the cache.
/// The cache keeps its previous snapshot; clients never see the inconsistent one.
/// </summary>
public sealed class InconsistentSnapshotException : Exception
{
    public InconsistentSnapshotException()
        : this("The snapshot is inconsistent.", [])
    {
    }

    public InconsistentSnapshotException(string message)
        : this(message, [])
    {
    }

    public InconsistentSnapshotException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public InconsistentSnapshotException(string message, IReadOnlyList<string> errors)
        : base(errors.Count == 0 ? message : $"{message} {string.Join("; ", errors)}")
    {
        Errors = errors;
    }

    /// <summary>Every consistency error found, one per dangling reference.</summary>
    public IReadOnlyList<string> Errors { get; }
}
