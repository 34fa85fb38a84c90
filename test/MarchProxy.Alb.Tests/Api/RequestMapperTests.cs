using MarchProxy.Alb.Api;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;
using Endpoint = MarchProxy.Api.V1.Endpoint;

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
        var errors = new FieldErrors();
        var config = new ClusterConfig
        {
            Name = "c",
            Endpoints = { new Endpoint { Address = "10.0.0.1", Port = 80 } },
            HealthCheck = new HealthCheckConfig(),
            OutlierDetection = new OutlierDetectionConfig(),
            CircuitBreakers = new CircuitBreakerConfig(),
            Tls = new UpstreamTlsConfig { Enabled = false },
        };

        var spec = ClusterRequestMapper.Map("cluster", config, errors)!;

        errors.Any.Should().BeFalse();
        spec.Endpoints.Should().Equal(new EndpointSpec("10.0.0.1", 80, 1));
        spec.LoadBalancing.Should().Be(LoadBalancingPolicy.RoundRobin);
        spec.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(5));
        spec.HealthCheck.Should().Be(new HealthCheckSpec());
        spec.OutlierDetection.Should().Be(new OutlierDetectionSpec());
        spec.CircuitBreakers.Should().Be(new CircuitBreakerSpec());
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

        ClusterRequestMapper.Map("cluster", config, new FieldErrors())!.LoadBalancing.Should().Be(expected);
    }

    [Test]
    public void MapCluster_DuplicateEndpoint_NamesTheSecond()
    {
        var errors = new FieldErrors();
        var config = new ClusterConfig
        {
            Name = "c",
            Endpoints = { new Endpoint { Address = "Host.internal", Port = 80 }, new Endpoint { Address = "host.internal", Port = 80 } },
        };

        ClusterRequestMapper.Map("cluster", config, errors).Should().BeNull();

        errors.Items.Select(e => e.Field).Should().Equal("cluster.endpoints[1]");
    }

    [Test]
    public void MapRoute_NoMatch_RequiresOne()
    {
        var errors = new FieldErrors();

        RouteRequestMapper.Map("route", new RouteConfig { Name = "r", ClusterName = "blue" }, Current, errors).Should().BeNull();

        errors.Items.Select(e => e.Field).Should().Equal("route.prefix");
    }

    [Test]
    public void MapRoute_PrefixAndPath_NamesTheSecond()
    {
        var errors = new FieldErrors();

        RouteRequestMapper.Map("route", new RouteConfig { Name = "r", Prefix = "/a", Path = "/b", ClusterName = "blue" }, Current, errors);

        errors.Items.Select(e => e.Field).Should().Equal("route.path");
    }

    [Test]
    public void MapRoute_UnknownClusterAndDuplicateWeights_NamesEachField()
    {
        var errors = new FieldErrors();
        var route = new RouteConfig
        {
            Name = "r",
            Prefix = "/",
            ClusterName = "red",
            Weights = { new TrafficWeight { BackendName = "blue", Weight = 1 }, new TrafficWeight { BackendName = "blue", Weight = 1 } },
        };

        RouteRequestMapper.Map("route", route, Current, errors);

        errors.Items.Select(e => e.Field).Should().BeEquivalentTo("route.weights[1].backend_name", "route.cluster_name");
    }

    [Test]
    public void MapRoute_ExistingRoute_KeepsItsOrder()
    {
        var spec = RouteRequestMapper.Map("route", new RouteConfig { Name = "from-file", Prefix = "/x", ClusterName = "green", Enabled = true }, Current, new FieldErrors())!;

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
        };

        var spec = RouteRequestMapper.Map("route", route, Current, new FieldErrors())!;

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
