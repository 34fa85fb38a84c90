namespace MarchProxy.Alb.Telemetry;

/// <summary>The stats of one Envoy cluster (<c>cluster.&lt;name&gt;.*</c>).</summary>
public sealed record UpstreamStats(RequestCounts Requests, HistogramWindows RequestTime);
