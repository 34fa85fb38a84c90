namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// The stats of one HTTP connection manager (<c>http.&lt;stat_prefix&gt;.*</c>): one per Envoy
/// listener, whose stat prefix is the listener's name.
/// </summary>
public sealed record DownstreamStats(
    RequestCounts Requests,
    long ConnectionsActive,
    long ConnectionsTotal,
    HistogramWindows RequestTime);
