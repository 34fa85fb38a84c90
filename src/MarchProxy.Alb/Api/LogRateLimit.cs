namespace MarchProxy.Alb.Api;

/// <summary>
/// Lets one log line through per <see cref="Interval"/> and counts the ones it held back, so a client
/// that repeats a bad request cannot fill the disk: the next line says how many were suppressed.
/// </summary>
public sealed class LogRateLimit(TimeProvider timeProvider, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _suppressed;
    private long? _lastLogged;

    public TimeSpan Interval => interval;

    /// <summary>True when a line may be written now; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool TryAcquire(out long suppressed)
    {
        var now = timeProvider.GetTimestamp();
        lock (_gate)
        {
            if (_lastLogged is { } last && timeProvider.GetElapsedTime(last, now) < interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _lastLogged = now;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
