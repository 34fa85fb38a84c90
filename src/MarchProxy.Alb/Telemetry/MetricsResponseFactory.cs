using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Builds GetMetrics' <see cref="MetricsResponse"/> from the bridge's reading: the same sample that
/// /metrics exports. See docs/MONITORING.md for what each field means.
/// </summary>
public static class MetricsResponseFactory
{
    /// <summary>The status classes GetMetrics reports, as documented in module_service.proto.</summary>
    public static IReadOnlyList<string> StatusClasses { get; } = ["2xx", "3xx", "4xx", "5xx"];

    /// <param name="reading">The bridge's reading; <see cref="EnvoyStatsStatus.Absent"/> in control-plane-only mode.</param>
    /// <param name="state">The served desired state, whose routes are reported.</param>
    /// <param name="now">Used as the timestamp when there is no sample (control-plane-only mode, or Envoy never answered).</param>
    public static MetricsResponse Create(EnvoyStatsReading reading, DesiredState state, DateTimeOffset now)
    {
        var sample = reading.Current;
        var requests = sample.DownstreamRequests;
        var latency = sample.DownstreamLatency;
        var response = new MetricsResponse
        {
            Timestamp = (reading.HasSample ? sample.Timestamp : now).ToUnixTimeMilliseconds(),
            TotalConnections = sample.ConnectionsTotal,
            ActiveConnections = sample.ConnectionsActive,
            TotalRequests = requests.Total,
            RequestsPerSecond = (long)Math.Round(reading.RequestsPerSecond(), MidpointRounding.AwayFromZero),
            Latency = new LatencyMetrics
            {
                P50Ms = latency.P50,
                P90Ms = latency.P90,
                P95Ms = latency.P95,
                P99Ms = latency.P99,
                AvgMs = latency.Mean,
            },
        };

        response.StatusCodes.Add("2xx", requests.Class2xx);
        response.StatusCodes.Add("3xx", requests.Class3xx);
        response.StatusCodes.Add("4xx", requests.Class4xx);
        response.StatusCodes.Add("5xx", requests.Class5xx);

        foreach (var (name, traffic) in RouteTraffic.For(state, sample))
        {
            response.Routes.Add(name, new RouteMetrics
            {
                Requests = traffic.Requests,
                Errors = traffic.Errors,
                AvgLatencyMs = traffic.AverageLatencyMs,
            });
        }

        return response;
    }
}
