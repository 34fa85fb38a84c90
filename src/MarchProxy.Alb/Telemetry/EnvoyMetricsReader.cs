using MarchProxy.Alb.Api;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// GetMetrics from the same source as /metrics: the bridge's cached Envoy sample (kept fresh by
/// <see cref="EnvoyStatsPoller"/>) and the served desired state's routes. Never waits on Envoy.
/// </summary>
public sealed class EnvoyMetricsReader : IMetricsReader
{
    private readonly EnvoyStatsBridge _bridge;
    private readonly ServedConfig _servedConfig;

    public EnvoyMetricsReader(EnvoyStatsBridge bridge, ServedConfig servedConfig)
    {
        _bridge = bridge;
        _servedConfig = servedConfig;
    }

    public MetricsResponse Read() => MetricsResponseFactory.Create(_bridge.Peek(), _servedConfig.Current, _bridge.Clock.GetUtcNow());
}
