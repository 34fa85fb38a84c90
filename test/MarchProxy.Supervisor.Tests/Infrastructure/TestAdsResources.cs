using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.Supervisor.Tests.Infrastructure;

/// <summary>
/// The resources the in-test ADS server serves: listener → RDS route config → EDS cluster → endpoint,
/// all in Envoy's real shapes, so a real Envoy can route a request through them.
/// </summary>
public sealed class TestAdsResources
{
    public const string ClusterType = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public const string EndpointType = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public const string ListenerType = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public const string RouteType = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    public string ClusterName { get; init; } = "backend";

    public string RouteName { get; init; } = "routes";

    public string ListenerName { get; init; } = "ingress";

    public int ListenerPort { get; init; } = 10000;

    public int BackendPort { get; init; } = 8081;

    public static bool IsWildcardType(string typeUrl) => typeUrl is ClusterType or ListenerType;

    /// <summary>The resources of <paramref name="typeUrl"/>; all of them when <paramref name="names"/> is empty or has "*".</summary>
    public IReadOnlyList<(string Name, Any Resource)> For(string typeUrl, IReadOnlyCollection<string> names)
    {
        (string, Any)[] all = typeUrl switch
        {
            ClusterType => [(ClusterName, Any.Pack(ClusterResource()))],
            EndpointType => [(ClusterName, Any.Pack(EndpointResource()))],
            ListenerType => [(ListenerName, Any.Pack(ListenerResource()))],
            RouteType => [(RouteName, Any.Pack(RouteResource()))],
            _ => [],
        };
        return names.Count == 0 || names.Contains("*") ? all : [.. all.Where(r => names.Contains(r.Item1))];
    }

    private static ConfigSource Ads() => new() { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 };

    private static Address Loopback(int port) => new() { SocketAddress = new SocketAddress { Address = "127.0.0.1", PortValue = (uint)port } };

    private Cluster ClusterResource() => new()
    {
        Name = ClusterName,
        Type = Cluster.Types.DiscoveryType.Eds,
        ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
        EdsClusterConfig = new Cluster.Types.EdsClusterConfig { EdsConfig = Ads() },
    };

    private ClusterLoadAssignment EndpointResource() => new()
    {
        ClusterName = ClusterName,
        Endpoints = { new LocalityLbEndpoints { LbEndpoints = { new LbEndpoint { Endpoint = new Endpoint { Address = Loopback(BackendPort) } } } } },
    };

    private Listener ListenerResource()
    {
        var hcm = new HttpConnectionManager
        {
            StatPrefix = "ingress",
            Rds = new Rds { RouteConfigName = RouteName, ConfigSource = Ads() },
            HttpFilters = { new HttpFilter { Name = "envoy.filters.http.router", TypedConfig = Any.Pack(new Router()) } },
        };
        return new Listener
        {
            Name = ListenerName,
            Address = Loopback(ListenerPort),
            FilterChains = { new FilterChain { Filters = { new Filter { Name = "envoy.filters.network.http_connection_manager", TypedConfig = Any.Pack(hcm) } } } },
        };
    }

    private RouteConfiguration RouteResource() => new()
    {
        Name = RouteName,
        VirtualHosts =
        {
            new VirtualHost
            {
                Name = "all",
                Domains = { "*" },
                Routes = { new Route { Match = new RouteMatch { Prefix = "/" }, Route_ = new RouteAction { Cluster = ClusterName } } },
            },
        },
    };
}
