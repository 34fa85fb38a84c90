using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.ControlPlane.Tests.TestSupport;

/// <summary>Hand-built Envoy resources, so cache and server tests do not depend on the translator.</summary>
internal static class Xds
{
    public static Cluster EdsCluster(string name, string? serviceName = null, int connectTimeoutMs = 1000) => new()
    {
        Name = name,
        Type = Cluster.Types.DiscoveryType.Eds,
        ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(connectTimeoutMs)),
        EdsClusterConfig = new Cluster.Types.EdsClusterConfig
        {
            EdsConfig = new ConfigSource { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 },
            ServiceName = serviceName ?? string.Empty,
        },
    };

    public static Cluster StaticCluster(string name) => new()
    {
        Name = name,
        Type = Cluster.Types.DiscoveryType.Static,
        LoadAssignment = Assignment(name, 9000),
    };

    public static ClusterLoadAssignment Assignment(string clusterName, params int[] ports)
    {
        var locality = new LocalityLbEndpoints { Locality = new Locality(), LoadBalancingWeight = 1 };
        foreach (var port in ports)
        {
            locality.LbEndpoints.Add(new LbEndpoint
            {
                Endpoint = new Endpoint
                {
                    Address = new Address { SocketAddress = new SocketAddress { Address = "127.0.0.1", PortValue = (uint)port } },
                },
            });
        }

        return new ClusterLoadAssignment { ClusterName = clusterName, Endpoints = { locality } };
    }

    public static Listener Listener(string name, string routeConfigName, uint port = 10000)
    {
        var hcm = new HttpConnectionManager
        {
            StatPrefix = name,
            Rds = new Rds
            {
                RouteConfigName = routeConfigName,
                ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 },
            },
        };
        return new Listener
        {
            Name = name,
            Address = new Address { SocketAddress = new SocketAddress { Address = "0.0.0.0", PortValue = port } },
            FilterChains =
            {
                new FilterChain
                {
                    Filters = { new Filter { Name = "envoy.filters.network.http_connection_manager", TypedConfig = Any.Pack(hcm) } },
                },
            },
        };
    }

    public static Listener ApiListener(string name, string routeConfigName)
    {
        var hcm = new HttpConnectionManager
        {
            StatPrefix = name,
            Rds = new Rds
            {
                RouteConfigName = routeConfigName,
                ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource() },
            },
        };
        return new Listener { Name = name, ApiListener = new ApiListener { ApiListener_ = Any.Pack(hcm) } };
    }

    /// <summary>One virtual host with one route per cluster (prefix "/&lt;cluster&gt;").</summary>
    public static RouteConfiguration Routes(string name, params string[] clusters)
    {
        var host = new VirtualHost { Name = name, Domains = { "*" } };
        foreach (var cluster in clusters)
        {
            host.Routes.Add(new Route
            {
                Match = new RouteMatch { Prefix = "/" + cluster },
                Route_ = new RouteAction { Cluster = cluster },
            });
        }

        return new RouteConfiguration { Name = name, VirtualHosts = { host } };
    }

    public static RouteConfiguration WeightedRoutes(string name, params (string Cluster, uint Weight)[] backends)
    {
        var weighted = new WeightedCluster();
        foreach (var (cluster, weight) in backends)
        {
            weighted.Clusters.Add(new WeightedCluster.Types.ClusterWeight { Name = cluster, Weight = weight });
        }

        return new RouteConfiguration
        {
            Name = name,
            VirtualHosts =
            {
                new VirtualHost
                {
                    Name = name,
                    Domains = { "*" },
                    Routes = { new Route { Match = new RouteMatch { Prefix = "/" }, Route_ = new RouteAction { WeightedClusters = weighted } } },
                },
            },
        };
    }
}
