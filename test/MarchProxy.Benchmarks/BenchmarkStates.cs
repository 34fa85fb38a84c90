using System.Collections.Immutable;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Benchmarks;

/// <summary>Large, valid desired states for the benchmarks.</summary>
internal static class BenchmarkStates
{
    /// <summary>
    /// <paramref name="clusters"/> clusters of three IP endpoints each, and <paramref name="routes"/>
    /// routes spread over <paramref name="hosts"/> hosts (one route in a hundred has no host). One
    /// route in ten splits by weight over two clusters, one in five has a rate limit, one in four a
    /// retry policy and a timeout.
    /// </summary>
    public static DesiredState Large(int routes = 10_000, int clusters = 1_000, int hosts = 100)
    {
        var clusterMap = ImmutableSortedDictionary.CreateBuilder<string, ClusterSpec>(StringComparer.Ordinal);
        for (var i = 0; i < clusters; i++)
        {
            var name = ClusterName(i);
            clusterMap[name] = new ClusterSpec
            {
                Name = name,
                Endpoints = [.. Enumerable.Range(1, 3).Select(e => new EndpointSpec($"10.{i / 250}.{i % 250}.{e}", 8080, e))],
                Http2 = i % 3 == 0,
                CircuitBreakers = i % 7 == 0 ? new CircuitBreakerSpec { MaxRequests = 1000 } : null,
            };
        }

        var routeMap = ImmutableSortedDictionary.CreateBuilder<string, RouteSpec>(StringComparer.Ordinal);
        for (var i = 0; i < routes; i++)
        {
            var name = $"route-{i:D5}";
            routeMap[name] = new RouteSpec
            {
                Name = name,
                Match = new RouteMatchSpec
                {
                    PathPrefix = $"/svc/{i}",
                    Hosts = i % 100 == 99 ? [] : [$"host-{i % hosts}.example.com"],
                },
                Cluster = ClusterName(i % clusters),
                Backends = i % 10 == 0
                    ? [new WeightedBackend(ClusterName(i % clusters), 90), new WeightedBackend(ClusterName((i + 1) % clusters), 10)]
                    : [],
                RateLimit = i % 5 == 0 ? new RateLimitSpec(1000, 100) : null,
                Retry = i % 4 == 0 ? new RetryPolicySpec { NumRetries = 2 } : null,
                Timeout = i % 4 == 0 ? TimeSpan.FromSeconds(5) : null,
            };
        }

        return new DesiredState
        {
            Version = 1,
            Clusters = clusterMap.ToImmutable(),
            Routes = routeMap.ToImmutable(),
            Listeners = DesiredState.Empty.Listeners.Add("public", new ListenerSpec { Name = "public", Port = 10000 }),
        };
    }

    /// <summary><paramref name="state"/> with the weights of one split route changed.</summary>
    public static DesiredState WithWeights(DesiredState state, string routeName, int blue, int green)
    {
        var route = state.Routes[routeName];
        var changed = route with
        {
            Backends = [route.Backends[0] with { Weight = blue }, route.Backends[1] with { Weight = green }],
        };
        return state.WithRoute(changed) with { Version = state.Version + 1 };
    }

    private static string ClusterName(int i) => $"cluster-{i:D4}";
}
