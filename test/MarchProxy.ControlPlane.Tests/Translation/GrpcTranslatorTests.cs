using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Testing;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;
using EnvoyCluster = Envoy.Config.Cluster.V3.Cluster;
using LbPolicy = Envoy.Config.Cluster.V3.Cluster.Types.LbPolicy;
using LoadBalancingPolicy = MarchProxy.ControlPlane.Model.LoadBalancingPolicy;

namespace MarchProxy.ControlPlane.Tests.Translation;

public sealed class GrpcTranslatorTests
{
    private FakeLogger<GrpcTranslator> _logger = null!;
    private GrpcTranslator _translator = null!;

    [SetUp]
    public void SetUp()
    {
        _logger = new FakeLogger<GrpcTranslator>();
        _translator = new GrpcTranslator(_logger);
    }

    [Test]
    public void Kind_IsGrpc()
    {
        _translator.Kind.Should().Be(NodeKind.Grpc);
    }

    [Test]
    public void Translate_RouteHost_ApiListenerNamedAfterTheHostWithRdsAndRouterLast()
    {
        var resources = _translator.Translate(State(Cluster("greeter"), Route("hello", "greeter", "/helloworld.Greeter/", "greeter.example")));

        resources.Listeners.Should().Equal(new Listener
        {
            Name = "greeter.example",
            ApiListener = new ApiListener
            {
                ApiListener_ = Any.Pack(new HttpConnectionManager
                {
                    StatPrefix = "greeter.example",
                    Rds = new Rds
                    {
                        RouteConfigName = "greeter.example",
                        ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 },
                    },
                    HttpFilters = { new HttpFilter { Name = "envoy.filters.http.router", TypedConfig = Any.Pack(new Router()) } },
                }),
            },
        });
        resources.Routes.Should().Equal(new RouteConfiguration
        {
            Name = "greeter.example",
            VirtualHosts =
            {
                new VirtualHost
                {
                    Name = "greeter.example",
                    Domains = { "greeter.example" },
                    Routes =
                    {
                        new Route
                        {
                            Name = "hello",
                            Match = new RouteMatch { Prefix = "/helloworld.Greeter/" },
                            Route_ = new RouteAction { Cluster = "greeter" },
                        },
                    },
                },
            },
        });
    }

    [Test]
    public void Translate_EnvoyOnlyRouteOptions_AreLeftOut()
    {
        var spec = Split("split", ("blue", 90), ("green", 10)) with
        {
            Match = new RouteMatchSpec { PathPrefix = "/", Hosts = ["svc"] },
            RateLimit = new RateLimitSpec(100, 10),
            Retry = new RetryPolicySpec { NumRetries = 3 },
            WebSocket = true,
            Timeout = TimeSpan.FromSeconds(2),
        };

        var resources = _translator.Translate(State(Cluster("blue"), Cluster("green"), spec));

        var route = ((RouteConfiguration)resources.Routes.Single()).VirtualHosts.Single().Routes.Single();
        route.Should().Be(new Route
        {
            Name = "split",
            Match = new RouteMatch { Prefix = "/" },
            Route_ = new RouteAction
            {
                WeightedClusters = new WeightedCluster
                {
                    Clusters =
                    {
                        new WeightedCluster.Types.ClusterWeight { Name = "blue", Weight = 90 },
                        new WeightedCluster.Types.ClusterWeight { Name = "green", Weight = 10 },
                    },
                },
                MaxStreamDuration = new RouteAction.Types.MaxStreamDuration { MaxStreamDuration_ = new Duration { Seconds = 2 } },
            },
        });
    }

    [Test]
    public void Translate_SeveralHosts_OneRouteConfigurationPerHostWithHostlessRoutesAfter()
    {
        var resources = _translator.Translate(State(
            Cluster("web"),
            Route("any", "web", "/"),
            Route("a", "web", "/a", "a.svc"),
            Route("ab", "web", "/ab", "a.svc", "b.svc")));

        resources.Listeners.Cast<Listener>().Select(l => l.Name).Should().Equal("a.svc", "b.svc");
        resources.Routes.Cast<RouteConfiguration>()
            .Select(c => (c.Name, string.Join(",", c.VirtualHosts.Single().Domains), string.Join(",", c.VirtualHosts.Single().Routes.Select(r => r.Name))))
            .Should().Equal(("a.svc", "a.svc", "ab,a,any"), ("b.svc", "b.svc", "ab,any"));
    }

    [Test]
    public void Translate_NoHosts_NoListenersOrRouteConfigurations()
    {
        var resources = _translator.Translate(State(Cluster("web"), Route("any", "web")));

        resources.Listeners.Should().BeEmpty();
        resources.Routes.Should().BeEmpty();
        resources.Clusters.Should().ContainSingle();
    }

    [Test]
    public void Translate_WildcardHost_GetsNoListenerAndIsLoggedOnce()
    {
        var state = State(Cluster("web"), Route("wild", "web", "/", "*.svc"), Route("exact", "web", "/", "x.svc"));

        var resources = _translator.Translate(state);
        _translator.Translate(state.WithRoute(Route("exact", "web", "/x", "x.svc")));

        resources.Listeners.Cast<Listener>().Select(l => l.Name).Should().Equal("x.svc");
        _logger.Collector.GetSnapshot().Where(r => r.Id.Id == 1202).Should().ContainSingle();
    }

    [Test]
    public void Translate_Clusters_AlwaysEdsWithIpEndpointsAndWeightedLocality()
    {
        var spec = Cluster("mixed") with
        {
            Endpoints = [new EndpointSpec("10.0.0.1", 50051, 3), new EndpointSpec("backend.internal", 50051), new EndpointSpec("::1", 50052)],
            LoadBalancing = LoadBalancingPolicy.LeastRequest,
            HealthCheck = new HealthCheckSpec(),
            OutlierDetection = new OutlierDetectionSpec(),
            CircuitBreakers = new CircuitBreakerSpec { MaxConnections = 5, MaxRequests = 10 },
            Http2 = true,
        };

        var resources = _translator.Translate(State(spec));

        resources.Clusters.Should().Equal(new Cluster
        {
            Name = "mixed",
            Type = EnvoyCluster.Types.DiscoveryType.Eds,
            EdsClusterConfig = new EnvoyCluster.Types.EdsClusterConfig
            {
                EdsConfig = new ConfigSource { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 },
            },
            ConnectTimeout = new Duration { Seconds = 5 },
            LbPolicy = EnvoyCluster.Types.LbPolicy.RoundRobin,
            CircuitBreakers = new CircuitBreakers
            {
                Thresholds = { new CircuitBreakers.Types.Thresholds { Priority = RoutingPriority.Default, MaxRequests = 10 } },
            },
        });
        resources.Endpoints.Should().Equal(new ClusterLoadAssignment
        {
            ClusterName = "mixed",
            Endpoints =
            {
                new LocalityLbEndpoints
                {
                    Locality = new Locality(),
                    LoadBalancingWeight = 1,
                    LbEndpoints =
                    {
                        EnvoyTranslatorClusterTests.Endpoint("10.0.0.1", 50051, 3),
                        EnvoyTranslatorClusterTests.Endpoint("::1", 50052, 1),
                    },
                },
            },
        });
    }

    [Test]
    public void Translate_HostnameEndpoints_AreLeftOutWithAWarning()
    {
        _translator.Translate(State(Cluster("dns", "backend.internal", "10.0.0.1")));

        var record = _logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 1200).Subject;
        record.Id.Name.Should().Be("HostnameEndpointsOmitted");
        record.Level.Should().Be(Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Test]
    public void Translate_OnlyHostnameEndpoints_EmptyLoadAssignment()
    {
        var resources = _translator.Translate(State(Cluster("dns", "backend.internal")));

        resources.Endpoints.Should().Equal(new ClusterLoadAssignment { ClusterName = "dns" });
    }

    [Test]
    public void Translate_UpstreamTls_IsLeftOutWithAWarning()
    {
        var resources = _translator.Translate(State(Cluster("tls") with { Tls = new UpstreamTlsSpec { Sni = "tls.internal" } }));

        ((Cluster)resources.Clusters.Single()).TransportSocket.Should().BeNull();
        _logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 1201);
    }

    [TestCase(LoadBalancingPolicy.RingHash, LbPolicy.RingHash)]
    [TestCase(LoadBalancingPolicy.Maglev, LbPolicy.RoundRobin)]
    [TestCase(LoadBalancingPolicy.Random, LbPolicy.RoundRobin)]
    public void Translate_LoadBalancing_RingHashOrRoundRobin(LoadBalancingPolicy policy, LbPolicy expected)
    {
        var cluster = (Cluster)_translator.Translate(State(Cluster("web") with { LoadBalancing = policy })).Clusters.Single();

        cluster.LbPolicy.Should().Be(expected);
    }

    [Test]
    public void Translate_WeightChange_RebuildsOnlyThatHostsRouteConfiguration()
    {
        var state = State(
            Cluster("blue"),
            Cluster("green"),
            Split("split", ("blue", 90), ("green", 10)) with { Match = new RouteMatchSpec { Hosts = ["a.svc"] } },
            Route("b", "blue", "/", "b.svc"));
        var first = _translator.Translate(state);

        var second = _translator.Translate(state.WithRoute(state.Routes["split"] with { Backends = [new WeightedBackend("blue", 10), new WeightedBackend("green", 90)] }));

        second.Routes[0].Should().NotBeSameAs(first.Routes[0]);
        second.Routes[1].Should().BeSameAs(first.Routes[1]);
        second.Listeners[0].Should().BeSameAs(first.Listeners[0]);
        second.Listeners[1].Should().BeSameAs(first.Listeners[1]);
        second.Clusters.Should().Equal(first.Clusters).And.HaveCount(2);
        second.Clusters[0].Should().BeSameAs(first.Clusters[0]);
        second.Endpoints[1].Should().BeSameAs(first.Endpoints[1]);
        ((RouteConfiguration)second.Routes[0]).VirtualHosts[0].Routes[0].Route_.WeightedClusters.Clusters
            .Select(c => c.Weight).Should().Equal(10u, 90u);
    }

    [Test]
    public void Translate_HostRemoved_DropsItsListenerAndRouteConfiguration()
    {
        var state = State(Cluster("web"), Route("a", "web", "/", "a.svc"), Route("b", "web", "/", "b.svc"));
        _translator.Translate(state);

        var resources = _translator.Translate(state.WithoutRoute("a"));

        resources.Listeners.Cast<Listener>().Select(l => l.Name).Should().Equal("b.svc");
        resources.Routes.Cast<RouteConfiguration>().Select(r => r.Name).Should().Equal("b.svc");
    }
}
