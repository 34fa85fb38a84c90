using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Telemetry;

public static class TelemetryEndpointRouteBuilderExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Maps the Prometheus scrape endpoint at <see cref="MetricsPath"/> on the metrics port only
    /// (<see cref="EndpointRole.Metrics"/>). Scrapes answer from memory: Envoy's stats come from the
    /// bridge's cache, which <see cref="EnvoyStatsPoller"/> keeps fresh. The scrapes themselves are
    /// left out of the HTTP server metrics.
    /// </summary>
    public static IEndpointConventionBuilder MapAlbTelemetry(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath)
            .RequireEndpointRole(EndpointRole.Metrics)
            .DisableHttpMetrics();
}
