using System.Collections.Immutable;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Tests.TestSupport;

/// <summary>Small, valid model values for tests of validation and translation.</summary>
internal static class SpecFactory
{
    public static ClusterSpec Cluster(string name, params string[] addresses) => new()
    {
        Name = name,
        Endpoints = addresses.Length == 0
            ? [new EndpointSpec("10.0.0.1", 8080)]
            : [.. addresses.Select(a => new EndpointSpec(a, 8080))],
    };

    public static RouteSpec Route(string name, string cluster, string prefix = "/", params string[] hosts) => new()
    {
        Name = name,
        Cluster = cluster,
        Match = new RouteMatchSpec { PathPrefix = prefix, Hosts = [.. hosts] },
    };

    public static RouteSpec Split(string name, params (string Cluster, int Weight)[] backends) => new()
    {
        Name = name,
        Match = new RouteMatchSpec { PathPrefix = "/" },
        Backends = [.. backends.Select(b => new WeightedBackend(b.Cluster, b.Weight))],
    };

    public static ListenerSpec Listener(string name, int port) => new() { Name = name, Port = port };

    public static DesiredState State(params object[] specs)
    {
        var state = DesiredState.Empty with { Version = 1 };
        foreach (var spec in specs)
        {
            state = spec switch
            {
                ClusterSpec c => state.WithCluster(c),
                RouteSpec r => state.WithRoute(r),
                ListenerSpec l => state.WithListener(l),
                _ => throw new ArgumentException($"unexpected spec {spec}", nameof(specs)),
            };
        }

        return state;
    }

    public static ImmutableArray<T> Array<T>(params T[] items) => [.. items];
}
