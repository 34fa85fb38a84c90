namespace MarchProxy.Alb.Telemetry;

/// <summary>Log events of the telemetry component (EventIds 3300–3399).</summary>
internal static partial class TelemetryLog
{
    // A dead or restarting admin API is routine for a supervisor: one line, no stack trace.
    [LoggerMessage(EventId = 3300, EventName = "EnvoyStatsReadFailed", Level = LogLevel.Warning,
        Message = "Reading Envoy's admin stats failed ({Error}); serving the last values (taken {LastSampleAt:o}) marked stale")]
    public static partial void EnvoyStatsReadFailed(ILogger logger, DateTimeOffset? lastSampleAt, string error);

    [LoggerMessage(EventId = 3301, EventName = "EnvoyStatsReadTimedOut", Level = LogLevel.Warning,
        Message = "Envoy's admin stats did not answer within {Timeout}; serving the last values (taken {LastSampleAt:o}) marked stale")]
    public static partial void EnvoyStatsReadTimedOut(ILogger logger, TimeSpan timeout, DateTimeOffset? lastSampleAt);

    [LoggerMessage(EventId = 3302, EventName = "EnvoyStatsStillStale", Level = LogLevel.Debug,
        Message = "Envoy's admin stats are still unreadable ({Reason}); the values stay stale")]
    public static partial void EnvoyStatsStillStale(ILogger logger, string reason);

    [LoggerMessage(EventId = 3303, EventName = "EnvoyStatsRecovered", Level = LogLevel.Information,
        Message = "Envoy's admin stats are readable again")]
    public static partial void EnvoyStatsRecovered(ILogger logger);
}
