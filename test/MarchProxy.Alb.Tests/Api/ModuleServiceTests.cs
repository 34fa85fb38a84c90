using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using HashPolicy = MarchProxy.Api.V1.HashPolicy;

namespace MarchProxy.Alb.Tests.Api;

public sealed class ModuleServiceTests : AlbHostFixture
{

    [Test]
    public async Task GetStatus_ControlPlaneOnly_ReportsRealValues()
    {
        var status = await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();

        status.ModuleId.Should().Be("alb-1");
        status.ModuleType.Should().Be("ALB");
        status.Version.Should().NotBeNullOrEmpty();
        status.Health.Should().Be(HealthStatus.Healthy);
        status.UptimeSeconds.Should().BeGreaterThanOrEqualTo(0);
        status.ConfigVersion.Should().Be(1);
        status.EnvoyState.Should().Be("absent");
        status.EnvoyVersion.Should().BeEmpty();
        status.Metadata["mode"].Should().Be("control-plane-only");
        status.Metadata.Should().ContainKey("envoy_absent_reason");
        status.XdsNodes.Should().BeEmpty();
    }

    [Test]
    public async Task UpsertClusterAndRoute_ThenGet_RoundTripsEveryField()
    {
        var ca = Dir.Combine("ca.pem");
        await File.WriteAllTextAsync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        var cluster = new ClusterConfig
        {
            Name = "web",
            Endpoints =
            {
                new Endpoint { Address = "10.0.0.1", Port = 8080, Weight = 3 },
                new Endpoint { Address = "backend.internal", Port = 8443, Weight = 1 },
            },
            LbPolicy = "LEAST_REQUEST",
            ConnectTimeoutMs = 2500,
            Http2 = true,
            HealthCheck = new HealthCheckConfig { HttpPath = "/health", IntervalMs = 3000, TimeoutMs = 500, HealthyThreshold = 2, UnhealthyThreshold = 4 },
            OutlierDetection = new OutlierDetectionConfig { Consecutive5Xx = 7, IntervalMs = 5000, BaseEjectionTimeMs = 20000, MaxEjectionPercent = 50 },
            CircuitBreakers = new CircuitBreakerConfig { MaxConnections = 100, MaxPendingRequests = 10, MaxRequests = 200, MaxRetries = 3 },
            Tls = new UpstreamTlsConfig { Enabled = true, Sni = "backend.internal", TrustedCaFile = ca },
        };
        var route = new RouteConfig
        {
            Name = "api",
            Prefix = "/api/",
            ClusterName = "web",
            Hosts = { "api.example.com", "*.example.org" },
            TimeoutSeconds = 30,
            Headers = { ["x-env"] = "blue" },
            Enabled = true,
            RateLimit = new RateLimitConfig { RequestsPerSecond = 100, BurstSize = 20, Enabled = true },
            Retry = new RetryPolicy { RetryOn = "5xx,reset", NumRetries = 2, PerTryTimeoutMs = 1500 },
            Websocket = true,
            HashPolicy = { new HashPolicy { Header = "x-user" }, new HashPolicy { SourceIp = true, Terminal = true } },
        };

        var c = await Host.Client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = cluster }).ResponseAsync.DefaultTimeout();
        var r = await Host.Client.UpsertRouteAsync(new UpsertRouteRequest { Route = route }).ResponseAsync.DefaultTimeout();

        c.Success.Should().BeTrue();
        c.Version.Should().Be(2);
        r.Success.Should().BeTrue();
        r.Version.Should().Be(3);
        r.Ack.Should().BeNull("wait_for_ack was not asked for");
        var clusters = await Host.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout();
        clusters.Version.Should().Be(3);
        clusters.Clusters.Should().ContainSingle().Which.Should().Be(cluster);
        var routes = await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        routes.Version.Should().Be(3);
        routes.Routes.Should().ContainSingle().Which.Should().Be(route);
    }

    [Test]
    public async Task ApplyRateLimit_EnabledThenDisabled_SetsThenRemovesTheLimit()
    {
        await SeedAsync();

        var set = await Host.Client.ApplyRateLimitAsync(new RateLimitRequest
        {
            RouteName = "web",
            Config = new RateLimitConfig { RequestsPerSecond = 1000, BurstSize = 100, Enabled = true },
        }).ResponseAsync.DefaultTimeout();
        var limited = (await GetRouteAsync("web")).RateLimit;
        var removed = await Host.Client.ApplyRateLimitAsync(new RateLimitRequest
        {
            RouteName = "web",
            Config = new RateLimitConfig { Enabled = false },
        }).ResponseAsync.DefaultTimeout();

        set.Success.Should().BeTrue();
        set.Version.Should().Be(5);
        limited.Should().Be(new RateLimitConfig { RequestsPerSecond = 1000, BurstSize = 100, Enabled = true });
        removed.Success.Should().BeTrue();
        removed.Version.Should().Be(6);
        (await GetRouteAsync("web")).RateLimit.Should().BeNull();
    }

    [Test]
    public async Task ApplyRateLimit_ZeroBurst_UsesTheRateAsBurst()
    {
        await SeedAsync();

        await Host.Client.ApplyRateLimitAsync(new RateLimitRequest
        {
            RouteName = "web",
            Config = new RateLimitConfig { RequestsPerSecond = 50, Enabled = true },
        }).ResponseAsync.DefaultTimeout();

        (await GetRouteAsync("web")).RateLimit.BurstSize.Should().Be(50);
    }

    [Test]
    public async Task SetTrafficWeight_ExistingClusters_SplitsTheRoute()
    {
        await SeedAsync();
        var weights = new[] { new TrafficWeight { BackendName = "blue", Weight = 90 }, new TrafficWeight { BackendName = "green", Weight = 10 } };

        var response = await Host.Client.SetTrafficWeightAsync(new TrafficWeightRequest { RouteName = "web", Weights = { weights } }).ResponseAsync.DefaultTimeout();

        response.Success.Should().BeTrue();
        response.Version.Should().Be(5);
        response.AppliedWeights.Should().Equal(weights);
        (await GetRouteAsync("web")).Weights.Should().Equal(weights);
    }

    [Test]
    public async Task GetRoutes_ClusterFilter_ReturnsOnlyRoutesUsingThatCluster()
    {
        await SeedAsync();
        await Host.Client.UpsertRouteAsync(Requests.UpsertRoute("admin", "green", "/admin/")).ResponseAsync.DefaultTimeout();
        await Host.Client.SetTrafficWeightAsync(new TrafficWeightRequest
        {
            RouteName = "web",
            Weights = { new TrafficWeight { BackendName = "blue", Weight = 1 }, new TrafficWeight { BackendName = "green", Weight = 1 } },
        }).ResponseAsync.DefaultTimeout();

        var blue = await Host.Client.GetRoutesAsync(new RoutesRequest { ClusterId = "blue" }).ResponseAsync.DefaultTimeout();
        var green = await Host.Client.GetRoutesAsync(new RoutesRequest { ClusterId = "green" }).ResponseAsync.DefaultTimeout();
        var unknown = await Host.Client.GetRoutesAsync(new RoutesRequest { ClusterId = "nope" }).ResponseAsync.DefaultTimeout();

        blue.Routes.Select(r => r.Name).Should().Equal("web");
        green.Routes.Select(r => r.Name).Should().Equal("admin", "web");
        unknown.Routes.Should().BeEmpty();
    }

    [Test]
    public async Task DeleteRouteThenCluster_RemovesBoth()
    {
        await SeedAsync();

        var route = await Host.Client.DeleteRouteAsync(new DeleteRequest { Name = "web" }).ResponseAsync.DefaultTimeout();
        var cluster = await Host.Client.DeleteClusterAsync(new DeleteRequest { Name = "blue" }).ResponseAsync.DefaultTimeout();

        route.Success.Should().BeTrue();
        route.Version.Should().Be(5);
        cluster.Success.Should().BeTrue();
        cluster.Version.Should().Be(6);
        (await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Should().BeEmpty();
        (await Host.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.Select(c => c.Name).Should().Equal("green");
    }

    [Test]
    public async Task UpsertRoute_ValidateOnly_AnswersAsARealCallAndChangesNothing()
    {
        await SeedAsync();
        var request = Requests.UpsertRoute("api", "green", "/api/");
        request.ValidateOnly = true;
        request.WaitForAck = true;

        var response = await Host.Client.UpsertRouteAsync(request).ResponseAsync.DefaultTimeout();

        response.Success.Should().BeTrue();
        response.Version.Should().Be(4, "version 5 was never applied");
        response.CheckedAgainstVersion.Should().Be(4);
        response.Unchanged.Should().BeFalse();
        response.Message.Should().Contain("validate_only");
        var routes = await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        routes.Version.Should().Be(4);
        routes.Routes.Select(r => r.Name).Should().Equal("web");
        (await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("red")).ResponseAsync.DefaultTimeout()).Version
            .Should().Be(5, "a dry run does not use up a version");
    }

    [Test]
    public async Task UpsertCluster_ValidateOnlyInvalid_InvalidArgumentAndNothingChanges()
    {
        var request = new UpsertClusterRequest { Cluster = new ClusterConfig { Name = "empty" }, ValidateOnly = true };

        var error = await Host.Client.UpsertClusterAsync(request).ShouldFailWith(Grpc.Core.StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("cluster.endpoints");
        (await Host.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Version.Should().Be(1);
    }

    [Test]
    public async Task UpsertRoute_Disabled_IsKeptAndSaysSo()
    {
        await SeedAsync();
        var request = Requests.UpsertRoute("off", "blue", "/off/");
        request.Route.Enabled = false;

        var response = await Host.Client.UpsertRouteAsync(request).ResponseAsync.DefaultTimeout();

        response.Message.Should().Contain("disabled");
        (await GetRouteAsync("off")).Enabled.Should().BeFalse();
    }

    [Test]
    public async Task GetMetrics_NoTelemetryRegistered_ReportsATimestampAndNoInventedNumbers()
    {
        var metrics = await Host.Client.GetMetricsAsync(new MetricsRequest()).ResponseAsync.DefaultTimeout();

        metrics.Timestamp.Should().BePositive();
        metrics.TotalRequests.Should().Be(0);
        metrics.Routes.Should().BeEmpty();
    }

    private async Task SeedAsync()
    {
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("blue")).ResponseAsync.DefaultTimeout();
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("green", 8082)).ResponseAsync.DefaultTimeout();
        await Host.Client.UpsertRouteAsync(Requests.UpsertRoute("web", "blue")).ResponseAsync.DefaultTimeout();
    }

    private async Task<RouteConfig> GetRouteAsync(string name) =>
        (await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Single(r => r.Name == name);
}
