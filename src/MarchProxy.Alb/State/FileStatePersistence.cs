using System.Text.Json;
using MarchProxy.Config;

namespace MarchProxy.Alb.State;

/// <summary>
/// Keeps the whole accepted state as one JSON file in DATA_DIR. A save writes a temporary file,
/// flushes it to the device, renames it over the old file and flushes the directory, so the file on
/// disk is always either the old state or the new one.
/// </summary>
public sealed class FileStatePersistence : IStatePersistence
{
    public const string FileName = "alb-state.json";

    private readonly string _directory;
    private readonly string _path;
    private readonly string _tempPath;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<FileStatePersistence> _logger;

    public FileStatePersistence(string directory, TimeProvider timeProvider, ILogger<FileStatePersistence> logger)
        : this(directory, FileName, timeProvider, logger)
    {
    }

    /// <summary>A state file with another name in <paramref name="directory"/> (fleet mode's local copy).</summary>
    public FileStatePersistence(string directory, string fileName, TimeProvider timeProvider, ILogger<FileStatePersistence> logger)
    {
        _directory = Path.GetFullPath(directory);
        _path = Path.Combine(_directory, fileName);
        _tempPath = _path + ".tmp";
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Location => _path;

    public StoredState? Load()
    {
        // Every way this can fail is an InvalidDataException naming the file: the start stops (exit 2)
        // rather than serving an empty or partial state in place of what was accepted.
        if (Directory.Exists(_path))
        {
            throw Unusable("is a directory, not a file");
        }

        if (!File.Exists(_path))
        {
            return null;
        }

        PersistedStateDocument? document;
        try
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read);
            document = JsonSerializer.Deserialize<PersistedStateDocument>(stream, StateJson.ReadOptions);
        }
        catch (JsonException ex)
        {
            throw Unusable($"is not valid ({JsonErrors.Describe(ex)}). Move it away to start from the standalone config", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unusable($"cannot be read: {ex.Message}", ex);
        }

        if (document is null)
        {
            throw Unusable("holds no state (null)");
        }

        var problems = document.Problems();
        if (problems.Count > 0)
        {
            throw Unusable($"is not valid: {string.Join("; ", problems)}");
        }

        return document.ToStoredState();
    }

    public void Save(StoredState state)
    {
        var document = PersistedStateDocument.From(state, _timeProvider.GetUtcNow());
        Directory.CreateDirectory(_directory);
        using (var stream = new FileStream(_tempPath, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, document, StateJson.Options);
            stream.Flush(flushToDisk: true);
        }

        File.Move(_tempPath, _path, overwrite: true);
        if (!DirectorySync.TryFlush(_directory))
        {
            StateLog.DirectoryNotFlushed(_logger, _directory);
        }
    }

    private InvalidDataException Unusable(string problem, Exception? inner = null) =>
        new($"The persisted state {_path} {problem}.", inner);
}
