using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;
using EnvoyCluster = Envoy.Config.Cluster.V3.Cluster;
using HttpProtocolOptions = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;
using LbPolicy = Envoy.Config.Cluster.V3.Cluster.Types.LbPolicy;
using LoadBalancingPolicy = MarchProxy.ControlPlane.Model.LoadBalancingPolicy;

namespace MarchProxy.ControlPlane.Tests.Translation;

public sealed class EnvoyTranslatorClusterTests
{
    private EnvoyTranslator _translator = null!;

    [SetUp]
    public void SetUp() => _translator = new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance);

    [Test]
    public void Translate_IpEndpoints_EdsClusterAndLoadAssignment()
    {
        var spec = Cluster("web") with
        {
            Endpoints = [new EndpointSpec("10.0.0.1", 8080, 3), new EndpointSpec("::1", 9090)],
            ConnectTimeout = TimeSpan.FromMilliseconds(250),
            LoadBalancing = LoadBalancingPolicy.LeastRequest,
        };

        var resources = _translator.Translate(State(spec));

        resources.Clusters.Should().Equal(new Cluster
        {
            Name = "web",
            Type = EnvoyCluster.Types.DiscoveryType.Eds,
            EdsClusterConfig = new EnvoyCluster.Types.EdsClusterConfig
            {
                EdsConfig = new ConfigSource { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 },
            },
            ConnectTimeout = new Duration { Nanos = 250_000_000 },
            LbPolicy = EnvoyCluster.Types.LbPolicy.LeastRequest,
        });
        resources.Endpoints.Should().Equal(new ClusterLoadAssignment
        {
            ClusterName = "web",
            Endpoints =
            {
                new LocalityLbEndpoints
                {
                    Locality = new Locality(),
                    LoadBalancingWeight = 1,
                    LbEndpoints = { Endpoint("10.0.0.1", 8080, 3), Endpoint("::1", 9090, 1) },
                },
            },
        });
    }

    [Test]
    public void Translate_HostnameEndpoint_StrictDnsWithInlineEndpointsAndNoLoadAssignment()
    {
        var resources = _translator.Translate(State(Cluster("dns", "backend.internal", "10.0.0.1"), Cluster("ip", "10.0.0.2")));

        var dns = resources.Clusters.Cast<Cluster>().Single(c => c.Name == "dns");
        dns.Type.Should().Be(EnvoyCluster.Types.DiscoveryType.StrictDns);
        dns.EdsClusterConfig.Should().BeNull();
        dns.LoadAssignment.Should().Be(new ClusterLoadAssignment
        {
            ClusterName = "dns",
            Endpoints =
            {
                new LocalityLbEndpoints
                {
                    Locality = new Locality(),
                    LoadBalancingWeight = 1,
                    LbEndpoints = { Endpoint("backend.internal", 8080, 1), Endpoint("10.0.0.1", 8080, 1) },
                },
            },
        });
        resources.Endpoints.Cast<ClusterLoadAssignment>().Select(c => c.ClusterName).Should().Equal("ip");
    }

    [TestCase(LoadBalancingPolicy.RoundRobin, LbPolicy.RoundRobin)]
    [TestCase(LoadBalancingPolicy.LeastRequest, LbPolicy.LeastRequest)]
    [TestCase(LoadBalancingPolicy.Random, LbPolicy.Random)]
    [TestCase(LoadBalancingPolicy.RingHash, LbPolicy.RingHash)]
    [TestCase(LoadBalancingPolicy.Maglev, LbPolicy.Maglev)]
    public void Translate_LoadBalancing_MapsToEnvoyPolicy(LoadBalancingPolicy policy, LbPolicy expected)
    {
        var cluster = (Cluster)_translator.Translate(State(Cluster("web") with { LoadBalancing = policy })).Clusters.Single();

        cluster.LbPolicy.Should().Be(expected);
    }

    [Test]
    public void Translate_ClusterPolicies_AddHttp2HealthChecksOutlierDetectionCircuitBreakersAndTls()
    {
        var spec = Cluster("grpc") with
        {
            Http2 = true,
            HealthCheck = new HealthCheckSpec { HttpPath = "/healthz", Interval = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromSeconds(1), HealthyThreshold = 2, UnhealthyThreshold = 4 },
            OutlierDetection = new OutlierDetectionSpec { Consecutive5xx = 7, Interval = TimeSpan.FromSeconds(5), BaseEjectionTime = TimeSpan.FromSeconds(20), MaxEjectionPercent = 50 },
            CircuitBreakers = new CircuitBreakerSpec { MaxConnections = 100, MaxRequests = 200 },
            Tls = new UpstreamTlsSpec { Sni = "grpc.internal", TrustedCaFile = "/etc/ca.pem" },
        };

        var cluster = (Cluster)_translator.Translate(State(spec)).Clusters.Single();

        cluster.TypedExtensionProtocolOptions.Should().ContainKey("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
            .WhoseValue.Should().Be(Any.Pack(new HttpProtocolOptions
            {
                ExplicitHttpConfig = new HttpProtocolOptions.Types.ExplicitHttpConfig { Http2ProtocolOptions = new Http2ProtocolOptions() },
            }));
        cluster.HealthChecks.Should().Equal(new HealthCheck
        {
            Timeout = new Duration { Seconds = 1 },
            Interval = new Duration { Seconds = 2 },
            HealthyThreshold = 2,
            UnhealthyThreshold = 4,
            HttpHealthCheck = new HealthCheck.Types.HttpHealthCheck { Path = "/healthz", CodecClientType = Envoy.Type.V3.CodecClientType.Http2 },
        });
        cluster.OutlierDetection.Should().Be(new OutlierDetection
        {
            Consecutive5Xx = 7,
            Interval = new Duration { Seconds = 5 },
            BaseEjectionTime = new Duration { Seconds = 20 },
            MaxEjectionPercent = 50,
        });
        cluster.CircuitBreakers.Should().Be(new CircuitBreakers
        {
            Thresholds = { new CircuitBreakers.Types.Thresholds { Priority = RoutingPriority.Default, MaxConnections = 100, MaxRequests = 200 } },
        });
        cluster.TransportSocket.Should().Be(new TransportSocket
        {
            Name = "envoy.transport_sockets.tls",
            TypedConfig = Any.Pack(new UpstreamTlsContext
            {
                Sni = "grpc.internal",
                CommonTlsContext = new CommonTlsContext
                {
                    ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { Filename = "/etc/ca.pem" } },
                    AlpnProtocols = { "h2" },
                },
            }),
        });
    }

    [Test]
    public void Translate_TcpHealthCheck_WhenNoPath()
    {
        var cluster = (Cluster)_translator.Translate(State(Cluster("web") with { HealthCheck = new HealthCheckSpec() })).Clusters.Single();

        cluster.HealthChecks.Should().ContainSingle().Which.TcpHealthCheck.Should().Be(new HealthCheck.Types.TcpHealthCheck());
    }

    [Test]
    public void Translate_PlainCluster_HasNoOptionalConfig()
    {
        var cluster = (Cluster)_translator.Translate(State(Cluster("web"))).Clusters.Single();

        cluster.TypedExtensionProtocolOptions.Should().BeEmpty();
        cluster.HealthChecks.Should().BeEmpty();
        cluster.OutlierDetection.Should().BeNull();
        cluster.CircuitBreakers.Should().BeNull();
        cluster.TransportSocket.Should().BeNull();
    }

    internal static LbEndpoint Endpoint(string address, int port, int weight) => new()
    {
        Endpoint = new Envoy.Config.Endpoint.V3.Endpoint
        {
            Address = new Address { SocketAddress = new SocketAddress { Address = address, PortValue = (uint)port } },
        },
        LoadBalancingWeight = (uint)weight,
    };
}
