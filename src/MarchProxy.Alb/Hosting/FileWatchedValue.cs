using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// A value read from files (a certificate and its key, a CA bundle), re-read when a file changes: the
/// files' write times and sizes are compared at most once per <see cref="CheckInterval"/>, when the value
/// is asked for (at a TLS handshake). If the new files cannot be read (e.g. the certificate is replaced
/// but its key not yet), the last good value stays in use and the failure is logged once per change.
/// </summary>
public sealed class FileWatchedValue<T>
    where T : class
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _setting;
    private readonly string[] _paths;
    private readonly string _pathList;
    private readonly Func<T> _load;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private T _value;
    private string _stamp;
    private long _checkedAt;

    /// <summary>Loads the value at once; throws <see cref="AlbConfigurationException"/> naming <paramref name="setting"/> when it cannot.</summary>
    public FileWatchedValue(string setting, IReadOnlyList<string> paths, Func<T> load, TimeProvider timeProvider, ILogger logger)
    {
        _setting = setting;
        _paths = [.. paths];
        _pathList = string.Join(", ", _paths);
        _load = load;
        _timeProvider = timeProvider;
        _logger = logger;
        _stamp = Stamp();
        try
        {
            _value = load();
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            throw new AlbConfigurationException($"{setting}: '{string.Join("', '", _paths)}' could not be loaded: {ex.Message}", ex);
        }

        _checkedAt = timeProvider.GetTimestamp();
    }

    public T Current
    {
        get
        {
            var now = _timeProvider.GetTimestamp();
            lock (_gate)
            {
                if (_timeProvider.GetElapsedTime(_checkedAt, now) < CheckInterval)
                {
                    return _value;
                }

                _checkedAt = now;
                var stamp = Stamp();
                if (stamp == _stamp)
                {
                    return _value;
                }

                _stamp = stamp;
                try
                {
                    _value = _load();
                    HostingLog.FilesReloaded(_logger, _setting, _pathList);
                }
                catch (Exception ex) when (IsUnreadable(ex))
                {
                    HostingLog.FilesReloadFailed(_logger, _setting, _pathList, ex.Message);
                }

                return _value;
            }
        }
    }

    private string Stamp() => string.Join('|', _paths.Select(p =>
    {
        var file = new FileInfo(p);
        return file.Exists ? $"{file.LastWriteTimeUtc.Ticks}:{file.Length}" : "missing";
    }));

    private static bool IsUnreadable(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException;
}
