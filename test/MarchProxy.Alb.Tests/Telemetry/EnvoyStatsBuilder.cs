using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>Builds <see cref="EnvoyStats"/> the way the admin client parses Envoy's JSON.</summary>
internal sealed class EnvoyStatsBuilder
{
    public static readonly double[] SupportedQuantiles = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100];

    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);
    private readonly List<EnvoyHistogram> _histograms = [];

    public EnvoyStatsBuilder Value(string name, long value)
    {
        _values[name] = value;
        return this;
    }

    /// <summary>A histogram whose interval and cumulative values are the same, one per supported quantile.</summary>
    public EnvoyStatsBuilder Histogram(string name, params double?[] valuesPerQuantile)
    {
        _histograms.Add(new EnvoyHistogram(name, valuesPerQuantile, valuesPerQuantile));
        return this;
    }

    public EnvoyStatsBuilder Histogram(string name, double?[] interval, double?[] cumulative)
    {
        _histograms.Add(new EnvoyHistogram(name, interval, cumulative));
        return this;
    }

    /// <summary>A listener "ingress" with traffic, an admin listener, and clusters "web" and "api.v2".</summary>
    public static EnvoyStatsBuilder Typical() => new EnvoyStatsBuilder()
        .Value("http.ingress.downstream_rq_total", 100)
        .Value("http.ingress.downstream_rq_2xx", 90)
        .Value("http.ingress.downstream_rq_4xx", 6)
        .Value("http.ingress.downstream_rq_5xx", 4)
        .Value("http.ingress.downstream_cx_total", 12)
        .Value("http.ingress.downstream_cx_active", 3)
        .Histogram("http.ingress.downstream_rq_time", 1, 2, 4, 6, 10, 12, 20, 25, 30, 40)
        .Value("http.admin.downstream_rq_total", 7)
        .Value("http.admin.downstream_cx_active", 1)
        .Value("cluster.web.upstream_rq_total", 70)
        .Value("cluster.web.upstream_rq_2xx", 67)
        .Value("cluster.web.upstream_rq_5xx", 3)
        .Value("cluster.web.external.upstream_rq_2xx", 67)
        .Histogram("cluster.web.upstream_rq_time", 1, 1, 2, 3, 8, 9, 15, 15, 15, 15)
        .Value("cluster.api.v2.upstream_rq_total", 30)
        .Value("cluster.api.v2.upstream_rq_2xx", 29)
        .Value("cluster.api.v2.upstream_rq_5xx", 1)
        .Histogram("cluster.api.v2.upstream_rq_time", 4, 4, 4, 4, 4, 4, 4, 4, 4, 4)
        .Value("checkout.http_local_rate_limit.rate_limited", 5)
        .Value("http_local_rate_limiter.http_local_rate_limit.rate_limited", 0)
        .Value("server.hot_restart_epoch", 2);

    public EnvoyStats Build() => new(new Dictionary<string, long>(_values, StringComparer.Ordinal), SupportedQuantiles, [.. _histograms]);
}
