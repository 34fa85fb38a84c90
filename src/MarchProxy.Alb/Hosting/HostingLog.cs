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
        Message = "Stopping: grpc.health.v1 now reports NOT_SERVING")]
    public static partial void Stopping(ILogger logger);
}
