using System.Collections.Immutable;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// One read of Envoy's stats, reduced to what the ALB reports: per listener (HTTP connection manager
/// stat prefix), per cluster, per route stats scope, and per rate-limited route. Immutable; both /metrics and GetMetrics
/// read it.
/// </summary>
public sealed class EnvoyStatsSample
{
    /// <summary>The HTTP connection manager of Envoy's own admin listener; never reported.</summary>
    public const string AdminStatPrefix = "admin";

    /// <summary>The listener-level local rate-limit filter has no bucket and never limits; not a route.</summary>
    public const string ListenerRateLimitStatPrefix = "http_local_rate_limiter";

    private const string HttpScope = "http.";
    private const string ClusterScope = "cluster.";
    private const string VirtualHostScope = "vhost.";
    private const string RouteInfix = ".route.";
    private const string RateLimitedSuffix = ".http_local_rate_limit.rate_limited";

    private EnvoyStatsSample(
        DateTimeOffset timestamp,
        ImmutableSortedDictionary<string, DownstreamStats> downstream,
        ImmutableSortedDictionary<string, UpstreamStats> upstream,
        ImmutableSortedDictionary<string, UpstreamStats> routeScopes,
        ImmutableSortedDictionary<string, long> rateLimited,
        long? hotRestartEpoch)
    {
        Timestamp = timestamp;
        Downstream = downstream;
        Upstream = upstream;
        RouteScopes = routeScopes;
        RateLimited = rateLimited;
        HotRestartEpoch = hotRestartEpoch;
        DownstreamRequests = downstream.Values.Aggregate(RequestCounts.Zero, (sum, d) => sum.Add(d.Requests));
        ConnectionsActive = downstream.Values.Sum(d => d.ConnectionsActive);
        ConnectionsTotal = downstream.Values.Sum(d => d.ConnectionsTotal);
        DownstreamLatency = LatencySummary.Weighted(
            downstream.Values.Where(d => d.RequestTime.Recent is not null).Select(d => (d.RequestTime.Recent!, Math.Max(1, d.Requests.Total))));
    }

    /// <summary>No stats: before the first read, and in control-plane-only mode.</summary>
    public static EnvoyStatsSample Empty { get; } = new(
        DateTimeOffset.UnixEpoch,
        ImmutableSortedDictionary.Create<string, DownstreamStats>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, UpstreamStats>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, UpstreamStats>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal),
        null);

    /// <summary>When the stats were read (the host's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>By HTTP connection manager stat prefix (the listener name); Envoy's admin listener excluded.</summary>
    public ImmutableSortedDictionary<string, DownstreamStats> Downstream { get; }

    /// <summary>By cluster name.</summary>
    public ImmutableSortedDictionary<string, UpstreamStats> Upstream { get; }

    /// <summary>
    /// Envoy's per-route stats (<c>vhost.&lt;virtual host&gt;.route.&lt;stat_prefix&gt;.upstream_rq_*</c>,
    /// kept for routes that set a <c>stat_prefix</c>), by scope <c>&lt;virtual host&gt;.route.&lt;stat_prefix&gt;</c>.
    /// Both names may contain dots; <see cref="RouteTraffic"/> matches the scopes to route names.
    /// </summary>
    public ImmutableSortedDictionary<string, UpstreamStats> RouteScopes { get; }

    /// <summary>Requests refused by a route's local rate limit, by route name (the filter's stat prefix).</summary>
    public ImmutableSortedDictionary<string, long> RateLimited { get; }

    /// <summary>Envoy's <c>server.hot_restart_epoch</c>, when reported.</summary>
    public long? HotRestartEpoch { get; }

    /// <summary>All listeners' requests together.</summary>
    public RequestCounts DownstreamRequests { get; }

    public long ConnectionsActive { get; }

    public long ConnectionsTotal { get; }

    /// <summary>All listeners' recent request time, weighted by their request counts; zero without samples.</summary>
    public LatencySummary DownstreamLatency { get; }

    /// <summary>
    /// An RE2 filter for Envoy's <c>/stats?filter=</c> that keeps only the stats <see cref="From"/>
    /// reads, so a large configuration does not make every read carry thousands of unused stats.
    /// </summary>
    public const string AdminStatsFilter =
        @"^http\..*\.downstream_(rq_(total|[1-5]xx|time)|cx_(total|active))$"
        + @"|^cluster\..*\.(upstream_rq_(total|[1-5]xx|time)|membership_total)$"
        + @"|^vhost\..+\.route\..+\.upstream_rq_(total|[1-5]xx|time)$"
        + @"|\.http_local_rate_limit\.rate_limited$"
        + @"|^server\.hot_restart_epoch$";

    public static EnvoyStatsSample From(EnvoyStats stats, DateTimeOffset timestamp)
    {
        var histograms = new Dictionary<string, EnvoyHistogram>(StringComparer.Ordinal);
        foreach (var histogram in stats.Histograms)
        {
            histograms[histogram.Name] = histogram;
        }

        var downstream = ImmutableSortedDictionary.CreateBuilder<string, DownstreamStats>(StringComparer.Ordinal);
        foreach (var prefix in ScopeNames(stats, HttpScope, ".downstream_rq_total", ".downstream_cx_total"))
        {
            if (prefix == AdminStatPrefix || prefix.Contains(".user_agent.", StringComparison.Ordinal))
            {
                continue;
            }

            var scope = $"{HttpScope}{prefix}.";
            downstream[prefix] = new DownstreamStats(
                RequestCounts.From(stats, scope, "downstream_rq"),
                stats.Get(scope + "downstream_cx_active") ?? 0,
                stats.Get(scope + "downstream_cx_total") ?? 0,
                HistogramWindows.From(stats, histograms, scope + "downstream_rq_time"));
        }

        var upstream = ImmutableSortedDictionary.CreateBuilder<string, UpstreamStats>(StringComparer.Ordinal);
        foreach (var cluster in ScopeNames(stats, ClusterScope, ".upstream_rq_total", ".membership_total"))
        {
            var scope = $"{ClusterScope}{cluster}.";
            upstream[cluster] = new UpstreamStats(
                RequestCounts.From(stats, scope, "upstream_rq"),
                HistogramWindows.From(stats, histograms, scope + "upstream_rq_time"));
        }

        var routeScopes = ImmutableSortedDictionary.CreateBuilder<string, UpstreamStats>(StringComparer.Ordinal);
        foreach (var routeScope in ScopeNames(stats, VirtualHostScope, ".upstream_rq_total"))
        {
            if (!routeScope.Contains(RouteInfix, StringComparison.Ordinal))
            {
                continue; // a virtual cluster (vhost.<name>.vcluster.<name>.*), which the translator never configures
            }

            var scope = $"{VirtualHostScope}{routeScope}.";
            routeScopes[routeScope] = new UpstreamStats(
                RequestCounts.From(stats, scope, "upstream_rq"),
                HistogramWindows.From(stats, histograms, scope + "upstream_rq_time"));
        }

        var rateLimited = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in stats.Values)
        {
            if (name.EndsWith(RateLimitedSuffix, StringComparison.Ordinal))
            {
                var route = name[..^RateLimitedSuffix.Length];
                if (route.Length > 0 && route != ListenerRateLimitStatPrefix)
                {
                    rateLimited[route] = value;
                }
            }
        }

        return new EnvoyStatsSample(
            timestamp,
            downstream.ToImmutable(),
            upstream.ToImmutable(),
            routeScopes.ToImmutable(),
            rateLimited.ToImmutable(),
            stats.Get("server.hot_restart_epoch"));
    }

    /// <summary>
    /// The scope names X for which <c>{scope}X{suffix}</c> exists for one of the suffixes. Names may
    /// contain dots; these suffixes only exist at the root of a listener's, cluster's or route's scope
    /// (the dynamic <c>canary.</c>/<c>internal.</c>/<c>external.</c> sub-scopes carry no <c>_total</c>).
    /// </summary>
    private static SortedSet<string> ScopeNames(EnvoyStats stats, string scope, params string[] suffixes)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in stats.Values.Keys)
        {
            if (!name.StartsWith(scope, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var suffix in suffixes)
            {
                if (name.Length > scope.Length + suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
                {
                    names.Add(name[scope.Length..^suffix.Length]);
                    break;
                }
            }
        }

        return names;
    }
}
