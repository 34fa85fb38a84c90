namespace MarchProxy.Alb.Api;

/// <summary>
/// Reports API requests whose body is not a valid message of the method's request type: one Warning
/// line (no stack trace) per <see cref="Interval"/> at most, with the number held back since the last.
/// </summary>
public sealed class UndecodableRequests(TimeProvider timeProvider, ILogger<UndecodableRequests> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly LogRateLimit _limit = new(timeProvider, Interval);

    public void Report(string method, string caller, string messageType)
    {
        if (_limit.TryAcquire(out var suppressed))
        {
            ApiLog.UndecodableRequest(logger, method, caller, messageType, suppressed);
        }
    }
}
