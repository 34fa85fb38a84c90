using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The names one resource refers to: the route configurations a listener's HTTP connection managers
/// fetch over RDS, the clusters its routes (or inline routes) send to, and for an EDS cluster the
/// ClusterLoadAssignment it waits for.
/// </summary>
internal sealed record ResourceReferences(IReadOnlyList<string> RouteConfigs, IReadOnlyList<string> Clusters, string? EdsName)
{
    private const string HcmTypeUrl =
        "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

    public static ResourceReferences None { get; } = new([], [], null);

    /// <summary>
    /// Every name referred to, with the type of the resource it names: route configurations, then
    /// clusters, then the ClusterLoadAssignment. <see cref="ReferenceClosure"/> follows these.
    /// </summary>
    /// <remarks>Made on first use: a route configuration refers to many clusters, and most are never walked.</remarks>
    public IReadOnlyList<ResourceKey> Targets => _targets ??= [
        .. RouteConfigs.Select(r => new ResourceKey(ResourceTypes.Route, r)),
        .. Clusters.Select(c => new ResourceKey(ResourceTypes.Cluster, c)),
        .. EdsName is null ? [] : new[] { new ResourceKey(ResourceTypes.Endpoint, EdsName) },
    ];

    // Two threads may both make it; the lists are equal, so either may win.
    private IReadOnlyList<ResourceKey>? _targets;

    /// <summary>The name of a resource of one of the four served types.</summary>
    public static string NameOf(IMessage message) => message switch
    {
        Cluster c => c.Name,
        ClusterLoadAssignment cla => cla.ClusterName,
        Listener l => l.Name,
        RouteConfiguration r => r.Name,
        _ => throw new ArgumentException($"{message.Descriptor.FullName} is not a served xDS resource type.", nameof(message)),
    };

    public static ResourceReferences Of(IMessage message) => message switch
    {
        Cluster c => OfCluster(c),
        Listener l => OfListener(l),
        RouteConfiguration r => OfRouteConfiguration(r),
        _ => None,
    };

    private static ResourceReferences OfCluster(Cluster cluster)
    {
        if (cluster.ClusterDiscoveryTypeCase != Cluster.ClusterDiscoveryTypeOneofCase.Type
            || cluster.Type != Cluster.Types.DiscoveryType.Eds)
        {
            return None;
        }

        var serviceName = cluster.EdsClusterConfig?.ServiceName;
        return new([], [], string.IsNullOrEmpty(serviceName) ? cluster.Name : serviceName);
    }

    private static ResourceReferences OfListener(Listener listener)
    {
        var routeConfigs = new List<string>();
        var clusters = new List<string>();
        var chains = listener.FilterChains.AsEnumerable();
        if (listener.DefaultFilterChain is not null)
        {
            chains = chains.Append(listener.DefaultFilterChain);
        }

        foreach (var filter in chains.SelectMany(c => c.Filters))
        {
            if (filter.ConfigTypeCase == Filter.ConfigTypeOneofCase.TypedConfig)
            {
                AddHcm(filter.TypedConfig, routeConfigs, clusters);
            }
        }

        if (listener.ApiListener?.ApiListener_ is { } api)
        {
            AddHcm(api, routeConfigs, clusters);
        }

        return new(routeConfigs.Distinct(StringComparer.Ordinal).ToArray(), clusters.Distinct(StringComparer.Ordinal).ToArray(), null);
    }

    private static void AddHcm(Any config, List<string> routeConfigs, List<string> clusters)
    {
        if (!string.Equals(config.TypeUrl, HcmTypeUrl, StringComparison.Ordinal))
        {
            return;
        }

        var hcm = HttpConnectionManager.Parser.ParseFrom(config.Value);
        switch (hcm.RouteSpecifierCase)
        {
            case HttpConnectionManager.RouteSpecifierOneofCase.Rds:
                routeConfigs.Add(hcm.Rds.RouteConfigName);
                break;
            case HttpConnectionManager.RouteSpecifierOneofCase.RouteConfig:
                AddRouteClusters(hcm.RouteConfig, clusters);
                break;
            default:
                break;
        }
    }

    private static ResourceReferences OfRouteConfiguration(RouteConfiguration routeConfiguration)
    {
        var clusters = new List<string>();
        AddRouteClusters(routeConfiguration, clusters);
        return new([], clusters.Distinct(StringComparer.Ordinal).ToArray(), null);
    }

    private static void AddRouteClusters(RouteConfiguration routeConfiguration, List<string> clusters)
    {
        clusters.AddRange(routeConfiguration.VirtualHosts
            .SelectMany(v => v.RequestMirrorPolicies)
            .Where(m => !string.IsNullOrEmpty(m.Cluster))
            .Select(m => m.Cluster));

        foreach (var route in routeConfiguration.VirtualHosts.SelectMany(v => v.Routes))
        {
            if (route.ActionCase != Route.ActionOneofCase.Route_)
            {
                continue;
            }

            var action = route.Route_;
            switch (action.ClusterSpecifierCase)
            {
                case RouteAction.ClusterSpecifierOneofCase.Cluster:
                    clusters.Add(action.Cluster);
                    break;
                case RouteAction.ClusterSpecifierOneofCase.WeightedClusters:
                    clusters.AddRange(action.WeightedClusters.Clusters
                        .Where(w => !string.IsNullOrEmpty(w.Name))
                        .Select(w => w.Name));
                    break;
                default:
                    break;
            }

            clusters.AddRange(action.RequestMirrorPolicies
                .Where(m => !string.IsNullOrEmpty(m.Cluster))
                .Select(m => m.Cluster));
        }
    }
}
