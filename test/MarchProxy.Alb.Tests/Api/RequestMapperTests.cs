using MarchProxy.Alb.Api;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;
using Endpoint = MarchProxy.Api.V1.Endpoint;
using HashPolicy = MarchProxy.Api.V1.HashPolicy;

namespace MarchProxy.Alb.Tests.Api;

public sealed class RequestMapperTests
{
    private static readonly DesiredState Current = DesiredState.Empty
        .WithCluster(new ClusterSpec { Name = "blue", Endpoints = [new EndpointSpec("10.0.0.1", 80)] })
        .WithCluster(new ClusterSpec { Name = "green", Endpoints = [new EndpointSpec("10.0.0.2", 80)] })
        .WithRoute(new RouteSpec { Name = "from-file", Cluster = "blue", Order = 7 });

    [Test]
    public void MapCluster_ZeroFields_TakeTheDocumentedDefaults()
    {
        var errors = new List<FieldViolation>();
        var config = new ClusterConfig
        {
            Name = "c",
            Endpoints = { new Endpoint { Address = "10.0.0.1", Port = 80 } },
            HealthCheck = new HealthCheckConfig(),
            OutlierDetection = new OutlierDetectionConfig(),
            CircuitBreakers = new CircuitBreakerConfig(),
            Tls = new UpstreamTlsConfig { Enabled = false },
        };

        var spec = ClusterRequestMapper.Map(config, errors)!;

        errors.Should().BeEmpty();
        spec.Endpoints.Should().Equal(new EndpointSpec("10.0.0.1", 80, 1));
        spec.LoadBalancing.Should().Be(LoadBalancingPolicy.RoundRobin);
        spec.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(5));
        spec.HealthCheck.Should().Be(new HealthCheckSpec());
        spec.OutlierDetection.Should().Be(new OutlierDetectionSpec());
        spec.CircuitBreakers.Should().Be(new CircuitBreakerSpec
        {
            MaxConnections = CircuitBreakerSpec.NoLimit,
            MaxPendingRequests = CircuitBreakerSpec.NoLimit,
            MaxRequests = CircuitBreakerSpec.NoLimit,
            MaxRetries = CircuitBreakerSpec.NoLimit,
        }, "0 means no limit");
        spec.Tls.Should().BeNull("TLS is off unless enabled");
        ConfigValidator.Validate(DesiredState.Empty.WithCluster(spec)).Should().BeEmpty();
    }

    [TestCase("ROUND_ROBIN", LoadBalancingPolicy.RoundRobin)]
    [TestCase("least_request", LoadBalancingPolicy.LeastRequest)]
    [TestCase("RingHash", LoadBalancingPolicy.RingHash)]
    [TestCase("MAGLEV", LoadBalancingPolicy.Maglev)]
    public void MapCluster_LbPolicySpellings_Parse(string text, LoadBalancingPolicy expected)
    {
        var config = new ClusterConfig { Name = "c", LbPolicy = text, Endpoints = { new Endpoint { Address = "10.0.0.1", Port = 80 } } };

        ClusterRequestMapper.Map(config, [])!.LoadBalancing.Should().Be(expected);
    }

    [Test]
    public void UpsertCluster_DuplicateEndpoint_NamesTheSecond()
    {
        var config = new ClusterConfig
        {
            Name = "c",
            Endpoints = { new Endpoint { Address = "Host.internal", Port = 80 }, new Endpoint { Address = "host.internal", Port = 80 } },
        };

        var outcome = ClusterMutations.Upsert(Current, config);

        outcome.Violations.Select(e => e.Field).Should().Equal("cluster.endpoints[1]");
    }

    [Test]
    public void UpsertRoute_NoMatch_RequiresOne()
    {
        var outcome = RouteMutations.Upsert(Current, new RouteConfig { Name = "r", ClusterName = "blue" });

        outcome.Violations.Select(e => e.Field).Should().Equal("route.prefix");
    }

    [Test]
    public void UpsertRoute_PrefixAndPath_NamesTheSecond()
    {
        var outcome = RouteMutations.Upsert(Current, new RouteConfig { Name = "r", Prefix = "/a", Path = "/b", ClusterName = "blue" });

        outcome.Violations.Select(e => e.Field).Should().Equal("route.path");
    }

    [Test]
    public void UpsertRoute_UnknownClusterAndDuplicateWeights_NamesEachField()
    {
        var route = new RouteConfig
        {
            Name = "r",
            Prefix = "/",
            ClusterName = "red",
            Weights = { new TrafficWeight { BackendName = "blue", Weight = 1 }, new TrafficWeight { BackendName = "blue", Weight = 1 } },
        };

        var outcome = RouteMutations.Upsert(Current, route);

        outcome.Violations.Select(e => e.Field).Should().BeEquivalentTo("route.weights[1].backend_name", "route.cluster_name");
    }

    [Test]
    public void MapRoute_ExistingRoute_KeepsItsOrder()
    {
        var spec = RouteRequestMapper.Map(new RouteConfig { Name = "from-file", Prefix = "/x", ClusterName = "green", Enabled = true }, Current, [])!;

        spec.Order.Should().Be(7);
        spec.Cluster.Should().Be("green");
    }

    [Test]
    public void MapThenToApi_FullRoute_RoundTrips()
    {
        var route = new RouteConfig
        {
            Name = "r",
            Regex = "^/v[0-9]+/",
            Weights = { new TrafficWeight { BackendName = "blue", Weight = 3 }, new TrafficWeight { BackendName = "green", Weight = 0 } },
            Hosts = { "*" },
            Headers = { ["a"] = "1", ["b"] = "2" },
            TimeoutSeconds = 9,
            Enabled = true,
            Retry = new RetryPolicy { RetryOn = "unavailable", NumRetries = 1 },
            HashPolicy =
            {
                new HashPolicy { Header = "x-user", Terminal = true },
                new HashPolicy { Cookie = "session", CookieTtlSeconds = 3600, CookiePath = "/" },
                new HashPolicy { SourceIp = true },
            },
        };

        var spec = RouteRequestMapper.Map(route, Current, [])!;

        ApiModelMapper.ToApi(spec).Should().Be(route);
        ConfigValidator.Validate(Current.WithRoute(spec)).Should().BeEmpty();
    }

    [Test]
    public void DeleteCluster_NamedByAWeightedRoutesClusterField_IsStillInUse()
    {
        var state = Current.WithRoute(new RouteSpec { Name = "w", Cluster = "green", Backends = [new WeightedBackend("blue", 1)] });

        var outcome = ClusterMutations.Delete(state, "green");

        outcome.Status.Should().Be(MutationStatus.FailedPrecondition);
        outcome.Message.Should().Contain("w");
    }
}
