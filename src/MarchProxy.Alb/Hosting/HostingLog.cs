using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Hosting;

/// <summary>Log events of the host (EventIds 3200-3299).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 3200, EventName = "Listening", Level = LogLevel.Information,
        Message = "MarchProxy ALB {ModuleId} listening: API (gRPC) {ApiPort}, ADS {XdsPort}, health {HealthPort}, metrics {MetricsPort}")]
    public static partial void Listening(ILogger logger, string moduleId, int apiPort, int xdsPort, int healthPort, int metricsPort);

    [LoggerMessage(EventId = 3201, EventName = "WrongPort", Level = LogLevel.Debug,
        Message = "Refused {Path}: it arrived on the {Arrived} port but is served on the {Required} port")]
    public static partial void WrongPort(ILogger logger, PathString path, EndpointRole? arrived, EndpointRole? required);

    [LoggerMessage(EventId = 3202, EventName = "ApiKeyDisabled", Level = LogLevel.Warning,
        Message = "CLUSTER_API_KEY is not set: the ModuleService API accepts calls without authentication")]
    public static partial void ApiKeyDisabled(ILogger logger);

    [LoggerMessage(EventId = 3203, EventName = "Stopping", Level = LogLevel.Information,
        Message = "Stopping: grpc.health.v1 reports NOT_SERVING and /readyz 503; Envoy drains (up to {Drain}) while ADS serves it, then the streams close (budget {Budget})")]
    public static partial void Stopping(ILogger logger, TimeSpan drain, TimeSpan budget);

    [LoggerMessage(EventId = 3204, EventName = "StreamsClosed", Level = LogLevel.Information,
        Message = "Closed every ADS stream (UNAVAILABLE) and WatchEvents stream (OK); stopping the servers")]
    public static partial void StreamsClosed(ILogger logger);

    [LoggerMessage(EventId = 3205, EventName = "Stopped", Level = LogLevel.Information,
        Message = "MarchProxy ALB stopped in {Elapsed} (clean: {Clean})")]
    public static partial void Stopped(ILogger logger, TimeSpan elapsed, bool clean);

    [LoggerMessage(EventId = 3206, EventName = "EnvoyStopOverran", Level = LogLevel.Warning,
        Message = "Envoy did not stop within {Budget} of the shutdown budget; every Envoy process was killed")]
    public static partial void EnvoyStopOverran(ILogger logger, TimeSpan budget);

    [LoggerMessage(EventId = 3207, EventName = "ShutdownStepFailed", Level = LogLevel.Error,
        Message = "Shutdown: {Step} failed; going on with the next step")]
    public static partial void ShutdownStepFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(EventId = 3208, EventName = "ConnectionRefused", Level = LogLevel.Warning,
        Message = "Refused a connection from {Remote} on the {Role} port: {Max} connections are open ({Suppressed} more refused since the last line)")]
    public static partial void ConnectionRefused(ILogger logger, EndpointRole role, int max, string remote, long suppressed);

    [LoggerMessage(EventId = 3209, EventName = "FilesReloaded", Level = LogLevel.Information,
        Message = "{Setting}: reloaded {Paths}")]
    public static partial void FilesReloaded(ILogger logger, string setting, string paths);

    [LoggerMessage(EventId = 3210, EventName = "FilesReloadFailed", Level = LogLevel.Warning,
        Message = "{Setting}: {Paths} changed but could not be loaded ({Error}); the previous one stays in use")]
    public static partial void FilesReloadFailed(ILogger logger, string setting, string paths, string error);
}
