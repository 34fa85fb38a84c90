using Grpc.Core;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Api;

/// <summary>Every error code, each time with the state and the version unchanged afterwards.</summary>
public sealed class ErrorCodeTests : AlbHostFixture
{
    private ModuleService.ModuleServiceClient _client = null!;

    [SetUp]
    public async Task SetUp()
    {
        _client = Host.Client;
        await _client.UpsertClusterAsync(Requests.UpsertCluster("blue")).ResponseAsync.DefaultTimeout();
        await _client.UpsertClusterAsync(Requests.UpsertCluster("green", 8082)).ResponseAsync.DefaultTimeout();
        await _client.UpsertRouteAsync(Requests.UpsertRoute("web", "blue")).ResponseAsync.DefaultTimeout();
    }

    [Test]
    public async Task UpsertRoute_ManyBadFields_InvalidArgumentListingEveryField()
    {
        var before = await SnapshotAsync();
        var route = new RouteConfig
        {
            Name = "bad name!",
            Prefix = "no-slash",
            Regex = "(unclosed",
            ClusterName = "",
            Hosts = { "a b" },
            TimeoutSeconds = -1,
            Headers = { ["bad header"] = "x" },
            RateLimit = new RateLimitConfig { Enabled = true, RequestsPerSecond = 0, BurstSize = -1 },
            Retry = new RetryPolicy { RetryOn = "5xx,teapot", NumRetries = 99 },
        };

        var error = await _client.UpsertRouteAsync(new UpsertRouteRequest { Route = route }).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Distinct().Should().BeEquivalentTo(
            "route.name", "route.prefix", "route.regex", "route.cluster_name", "route.hosts[0]", "route.timeout_seconds",
            "route.headers[bad header]", "route.rate_limit.requests_per_second", "route.rate_limit.burst_size",
            "route.retry.retry_on", "route.retry.num_retries");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Test]
    public async Task UpsertCluster_ManyBadFields_InvalidArgumentListingEveryField()
    {
        var before = await SnapshotAsync();
        var cluster = new ClusterConfig
        {
            Name = "",
            Endpoints =
            {
                new Endpoint { Address = "not an address", Port = 0 },
                new Endpoint { Address = "10.0.0.1", Port = 80, Weight = 500 },
            },
            LbPolicy = "FASTEST",
            HealthCheck = new HealthCheckConfig { HttpPath = "health" },
            OutlierDetection = new OutlierDetectionConfig { MaxEjectionPercent = 150 },
            Tls = new UpstreamTlsConfig { Enabled = true, Sni = "bad sni" },
        };

        var error = await _client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = cluster }).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().BeEquivalentTo(
            "cluster.name", "cluster.endpoints[0].address", "cluster.endpoints[0].port", "cluster.endpoints[1].weight",
            "cluster.lb_policy", "cluster.health_check.http_path", "cluster.outlier_detection.max_ejection_percent", "cluster.tls.sni");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Test]
    public async Task SetTrafficWeight_UnknownBackendAndZeroSum_InvalidArgumentNamingEachWeight()
    {
        var before = await SnapshotAsync();
        var request = new TrafficWeightRequest
        {
            RouteName = "web",
            Weights = { new TrafficWeight { BackendName = "blue", Weight = 0 }, new TrafficWeight { BackendName = "nope", Weight = -5 } },
        };

        var error = await _client.SetTrafficWeightAsync(request).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().BeEquivalentTo("weights[1].backend_name", "weights[1].weight", "weights");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Test]
    public async Task ApplyRateLimit_MissingConfig_InvalidArgument()
    {
        var before = await SnapshotAsync();

        var error = await _client.ApplyRateLimitAsync(new RateLimitRequest { RouteName = "web" }).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("config");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Test]
    public async Task ApplyRateLimit_UnknownRoute_NotFound()
    {
        var before = await SnapshotAsync();
        var request = new RateLimitRequest { RouteName = "ghost", Config = new RateLimitConfig { Enabled = true, RequestsPerSecond = 5 } };

        await _client.ApplyRateLimitAsync(request).ShouldFailWith(StatusCode.NotFound);

        (await SnapshotAsync()).Should().Be(before);
    }

    [Test]
    public async Task SetTrafficWeight_UnknownRoute_NotFound()
    {
        var before = await SnapshotAsync();
        var request = new TrafficWeightRequest { RouteName = "ghost", Weights = { new TrafficWeight { BackendName = "blue", Weight = 1 } } };

        await _client.SetTrafficWeightAsync(request).ShouldFailWith(StatusCode.NotFound);

        (await SnapshotAsync()).Should().Be(before);
    }

    [Test]
    public async Task DeleteRoute_Unknown_NotFound()
    {
        var before = await SnapshotAsync();

        await _client.DeleteRouteAsync(new DeleteRequest { Name = "ghost" }).ShouldFailWith(StatusCode.NotFound);

        (await SnapshotAsync()).Should().Be(before);
    }

    [Test]
    public async Task DeleteCluster_Unknown_NotFound()
    {
        var before = await SnapshotAsync();

        await _client.DeleteClusterAsync(new DeleteRequest { Name = "ghost" }).ShouldFailWith(StatusCode.NotFound);

        (await SnapshotAsync()).Should().Be(before);
    }

    [Test]
    public async Task DeleteCluster_UsedByRoute_FailedPrecondition()
    {
        var before = await SnapshotAsync();

        var error = await _client.DeleteClusterAsync(new DeleteRequest { Name = "blue" }).ShouldFailWith(StatusCode.FailedPrecondition);

        error.Status.Detail.Should().Contain("web");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Test]
    public async Task DeleteCluster_UsedAsWeightedBackend_FailedPrecondition()
    {
        await _client.SetTrafficWeightAsync(new TrafficWeightRequest
        {
            RouteName = "web",
            Weights = { new TrafficWeight { BackendName = "blue", Weight = 90 }, new TrafficWeight { BackendName = "green", Weight = 10 } },
        }).ResponseAsync.DefaultTimeout();
        var before = await SnapshotAsync();

        await _client.DeleteClusterAsync(new DeleteRequest { Name = "green" }).ShouldFailWith(StatusCode.FailedPrecondition);

        (await SnapshotAsync()).Should().Be(before);
    }

    [Test]
    public async Task UpsertRoute_PersistFails_UnavailableAndNothingChanges()
    {
        var before = await SnapshotAsync();
        Directory.Delete(Host.DataDir, recursive: true);
        await File.WriteAllTextAsync(Host.DataDir, "a file where the data directory was");

        await _client.UpsertRouteAsync(Requests.UpsertRoute("api", "blue", "/api/")).ShouldFailWith(StatusCode.Unavailable);

        (await SnapshotAsync()).Should().Be(before);
        File.Delete(Host.DataDir);
        var next = await _client.UpsertRouteAsync(Requests.UpsertRoute("api", "blue", "/api/")).ResponseAsync.DefaultTimeout();
        next.Version.Should().Be(before.Version + 1, "the failed mutation did not use up a version");
    }

    private async Task<(long Version, string Routes, string Clusters)> SnapshotAsync()
    {
        var routes = await _client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        var clusters = await _client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout();
        routes.Version.Should().Be(clusters.Version);
        return (routes.Version, routes.Routes.ToString(), clusters.Clusters.ToString());
    }
}
