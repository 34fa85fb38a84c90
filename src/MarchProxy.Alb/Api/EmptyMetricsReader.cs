using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Api;

/// <summary>The default <see cref="IMetricsReader"/> until telemetry is registered: a timestamp and zeros, never invented numbers.</summary>
public sealed class EmptyMetricsReader(TimeProvider timeProvider) : IMetricsReader
{
    public MetricsResponse Read() => new()
    {
        Timestamp = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
        Latency = new LatencyMetrics(),
    };
}
