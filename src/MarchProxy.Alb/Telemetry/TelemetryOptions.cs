namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Settings of the telemetry pipeline (section <c>Telemetry</c>). The OTLP endpoint is not here:
/// OpenTelemetry reads <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and the other <c>OTEL_*</c> variables)
/// itself.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// How long a sample of Envoy's admin <c>/stats</c> is served before it is read again; the
    /// background poller reads once per TTL. 100 ms to 10 minutes.
    /// </summary>
    public TimeSpan EnvoyStatsTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one read of Envoy's <c>/stats</c> may take (at most the TTL). A read that takes longer
    /// is cancelled and the last values are served, marked stale. Scrapes and GetMetrics never wait
    /// for a read: they answer from the cache.
    /// </summary>
    public TimeSpan EnvoyStatsTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most label values one Envoy-stats label (cluster, stat prefix, route) may take. Names seen
    /// after the limit is reached are summed under <c>other</c>.
    /// </summary>
    public int MaxLabelValues { get; set; } = 100;
}
