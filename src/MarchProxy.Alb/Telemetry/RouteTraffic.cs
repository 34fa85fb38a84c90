using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// The traffic of one route, as far as Envoy's stats can tell. Envoy keeps no per-route request
/// stats by default, so a route's numbers are those of the clusters it sends to: requests are their
/// <c>upstream_rq_total</c>, errors their <c>upstream_rq_5xx</c> (Envoy counts its own 504s on
/// timeouts there too), and the latency their recent <c>upstream_rq_time</c>, weighted by requests.
/// Two routes that share a cluster both see all of its traffic; a disabled route reads zero.
/// </summary>
public sealed record RouteTraffic(long Requests, long Errors, LatencySummary Latency)
{
    public static RouteTraffic Zero { get; } = new(0, 0, LatencySummary.Zero);

    /// <summary>The approximate mean request time in milliseconds (see <see cref="LatencySummary"/>).</summary>
    public double AverageLatencyMs => Latency.Mean;

    /// <summary>Every route of <paramref name="state"/>, by name, with its clusters' numbers in <paramref name="sample"/>.</summary>
    public static IReadOnlyDictionary<string, RouteTraffic> For(DesiredState state, EnvoyStatsSample sample)
    {
        var routes = new Dictionary<string, RouteTraffic>(state.Routes.Count, StringComparer.Ordinal);
        foreach (var (name, route) in state.Routes)
        {
            routes[name] = route.Enabled ? Of(route, sample) : Zero;
        }

        return routes;
    }

    private static RouteTraffic Of(RouteSpec route, EnvoyStatsSample sample)
    {
        long requests = 0, errors = 0;
        var latencies = new List<(LatencySummary, long)>();
        foreach (var cluster in route.ReferencedClusters.Distinct(StringComparer.Ordinal))
        {
            if (!sample.Upstream.TryGetValue(cluster, out var stats))
            {
                continue;
            }

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
