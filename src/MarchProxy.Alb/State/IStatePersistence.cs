namespace MarchProxy.Alb.State;

/// <summary>
/// Durable storage of the accepted state. <see cref="Save"/> returns only once the state is on disk
/// (written to a temporary file, flushed to the device, renamed over the old one), and throws
/// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when it cannot be.
/// </summary>
public interface IStatePersistence
{
    /// <summary>A human-readable location for messages.</summary>
    string Location { get; }

    /// <summary>The persisted state, or null when none was ever saved. Throws when the file is unreadable.</summary>
    StoredState? Load();

    void Save(StoredState state);
}
