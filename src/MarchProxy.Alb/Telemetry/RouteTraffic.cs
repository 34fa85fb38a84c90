using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// The traffic of one route, as far as Envoy's stats can tell. The translator sets each Envoy
/// route's <c>stat_prefix</c> to the route name, so Envoy keeps per-route stats under
/// <c>vhost.&lt;virtual host&gt;.route.&lt;route name&gt;.</c>; a route's numbers are the sum over
/// the virtual hosts it appears in (a host-less route appears in all of them): requests are their
/// <c>upstream_rq_total</c>, errors their <c>upstream_rq_5xx</c> and the latency their recent
/// <c>upstream_rq_time</c>, weighted by requests. When Envoy reports no per-route stats for a route
/// (an Envoy that has not yet applied the routes with <c>stat_prefix</c>), its numbers are those of
/// the clusters it sends to instead, the same stats at cluster level; two routes that share a
/// cluster then both see all of its traffic. A disabled route reads zero.
/// </summary>
public sealed record RouteTraffic(long Requests, long Errors, LatencySummary Latency)
{
    private const string RouteInfix = ".route.";

    public static RouteTraffic Zero { get; } = new(0, 0, LatencySummary.Zero);

    /// <summary>The approximate mean request time in milliseconds (see <see cref="LatencySummary"/>).</summary>
    public double AverageLatencyMs => Latency.Mean;

    /// <summary>
    /// Every route of <paramref name="state"/>, by name, with its per-route stats in
    /// <paramref name="sample"/>, or its clusters' numbers when the sample has none for it.
    /// </summary>
    public static IReadOnlyDictionary<string, RouteTraffic> For(DesiredState state, EnvoyStatsSample sample)
    {
        var perRoute = RouteScopesByRoute(state, sample);
        var routes = new Dictionary<string, RouteTraffic>(state.Routes.Count, StringComparer.Ordinal);
        foreach (var (name, route) in state.Routes)
        {
            if (!route.Enabled)
            {
                routes[name] = Zero;
            }
            else if (perRoute.TryGetValue(name, out var scopes))
            {
                routes[name] = Sum(scopes);
            }
            else
            {
                routes[name] = Sum(route.ReferencedClusters
                    .Distinct(StringComparer.Ordinal)
                    .Select(cluster => sample.Upstream.GetValueOrDefault(cluster))
                    .OfType<UpstreamStats>());
            }
        }

        return routes;
    }

    /// <summary>
    /// The per-route stats scopes (<c>&lt;virtual host&gt;.route.&lt;stat_prefix&gt;</c>) grouped by
    /// the route they belong to. Virtual host and route names may both contain dots (and even
    /// <c>.route.</c>): the first <c>.route.</c> after which a route name of the state follows wins,
    /// i.e. the longest matching route name. Scopes of no route of the state are ignored.
    /// </summary>
    private static Dictionary<string, List<UpstreamStats>> RouteScopesByRoute(DesiredState state, EnvoyStatsSample sample)
    {
        var byRoute = new Dictionary<string, List<UpstreamStats>>(StringComparer.Ordinal);
        foreach (var (scope, stats) in sample.RouteScopes)
        {
            for (var at = scope.IndexOf(RouteInfix, StringComparison.Ordinal); at >= 0; at = scope.IndexOf(RouteInfix, at + 1, StringComparison.Ordinal))
            {
                var name = scope[(at + RouteInfix.Length)..];
                if (state.Routes.ContainsKey(name))
                {
                    if (!byRoute.TryGetValue(name, out var list))
                    {
                        byRoute[name] = list = [];
                    }

                    list.Add(stats);
                    break;
                }
            }
        }

        return byRoute;
    }

    private static RouteTraffic Sum(IEnumerable<UpstreamStats> parts)
    {
        long requests = 0, errors = 0;
        var latencies = new List<(LatencySummary, long)>();
        foreach (var stats in parts)
        {
            requests += stats.Requests.Total;
            errors += stats.Requests.Class5xx;
            if (stats.RequestTime.Recent is { } latency)
            {
                latencies.Add((latency, Math.Max(1, stats.Requests.Total)));
            }
        }

        return new RouteTraffic(requests, errors, LatencySummary.Weighted(latencies));
    }
}
