using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Api;

/// <summary>
/// The source of GetMetrics. The telemetry component replaces the default registration (which
/// reports only the timestamp, with every counter at zero) with one that reads the same data as
/// /metrics.
/// </summary>
public interface IMetricsReader
{
    MetricsResponse Read();
}
