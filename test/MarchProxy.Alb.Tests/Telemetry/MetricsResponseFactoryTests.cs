using MarchProxy.Alb.Telemetry;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.Telemetry;

public sealed class MetricsResponseFactoryTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DesiredState State = DesiredState.Empty
        .WithRoute(new RouteSpec { Name = "checkout", Cluster = "web" })
        .WithRoute(new RouteSpec { Name = "split", Backends = [new WeightedBackend("web", 90), new WeightedBackend("api.v2", 10)] })
        .WithRoute(new RouteSpec { Name = "off", Cluster = "web", Enabled = false })
        .WithRoute(new RouteSpec { Name = "cold", Cluster = "nowhere" });

    [Test]
    public void Create_TypicalSample_FillsEveryField()
    {
        var previous = EnvoyStatsSample.From(new EnvoyStatsBuilder().Value("http.ingress.downstream_rq_total", 40).Build(), T0);
        var current = EnvoyStatsSample.From(EnvoyStatsBuilder.Typical().Build(), T0.AddSeconds(5));

        var response = MetricsResponseFactory.Create(new EnvoyStatsReading(current, previous, EnvoyStatsStatus.Fresh), State, T0.AddSeconds(7));

        response.Timestamp.Should().Be(T0.AddSeconds(5).ToUnixTimeMilliseconds());
        response.TotalConnections.Should().Be(12);
        response.ActiveConnections.Should().Be(3);
        response.TotalRequests.Should().Be(100);
        response.RequestsPerSecond.Should().Be(12);
        response.Latency.P50Ms.Should().Be(4);
        response.Latency.P90Ms.Should().Be(10);
        response.Latency.P95Ms.Should().Be(12);
        response.Latency.P99Ms.Should().Be(20);
        response.Latency.AvgMs.Should().Be(current.DownstreamLatency.Mean).And.BeGreaterThan(0);
        response.StatusCodes.Should().Equal(new Dictionary<string, long> { ["2xx"] = 90, ["3xx"] = 0, ["4xx"] = 6, ["5xx"] = 4 });
    }

    [Test]
    public void Create_RoutesWithoutRouteStats_FallBackToTheirClustersUpstreamNumbers()
    {
        var current = EnvoyStatsSample.From(EnvoyStatsBuilder.Typical().Build(), T0);

        var routes = MetricsResponseFactory.Create(new EnvoyStatsReading(current, null, EnvoyStatsStatus.Fresh), State, T0).Routes;

        routes.Keys.Should().BeEquivalentTo("checkout", "split", "off", "cold");
        routes["checkout"].Requests.Should().Be(70);
        routes["checkout"].Errors.Should().Be(3);
        routes["checkout"].AvgLatencyMs.Should().Be(current.Upstream["web"].RequestTime.Recent!.Mean);
        routes["split"].Requests.Should().Be(100);
        routes["split"].Errors.Should().Be(4);
        routes["split"].AvgLatencyMs.Should().BeApproximately(
            ((current.Upstream["web"].RequestTime.Recent!.Mean * 70) + (4.0 * 30)) / 100, 1e-9);
        routes["off"].Requests.Should().Be(0);
        routes["cold"].Requests.Should().Be(0);
        routes["cold"].AvgLatencyMs.Should().Be(0);
    }

    [Test]
    public void Create_RoutesWithRouteStats_AreTheirOwnNumbersSummedOverVirtualHosts()
    {
        var stats = EnvoyStatsBuilder.Typical()
            .Value("vhost.shop.example.com.route.checkout.upstream_rq_total", 20)
            .Value("vhost.shop.example.com.route.checkout.upstream_rq_5xx", 2)
            .Histogram("vhost.shop.example.com.route.checkout.upstream_rq_time", 5, 5, 5, 5, 5, 5, 5, 5, 5, 5)
            .Value("vhost.*.route.checkout.upstream_rq_total", 10)
            .Value("vhost.*.route.checkout.upstream_rq_5xx", 1)
            .Histogram("vhost.*.route.checkout.upstream_rq_time", 20, 20, 20, 20, 20, 20, 20, 20, 20, 20)
            .Value("vhost.*.route.split.upstream_rq_total", 0)
            .Value("vhost.*.route.off.upstream_rq_total", 9)
            .Value("vhost.*.route.gone.upstream_rq_total", 9)
            .Build();
        var current = EnvoyStatsSample.From(stats, T0);

        var routes = MetricsResponseFactory.Create(new EnvoyStatsReading(current, null, EnvoyStatsStatus.Fresh), State, T0).Routes;

        routes.Keys.Should().BeEquivalentTo("checkout", "split", "off", "cold");
        routes["checkout"].Requests.Should().Be(30, "the route's own upstream_rq_total over both virtual hosts, not its cluster's 70");
        routes["checkout"].Errors.Should().Be(3);
        routes["checkout"].AvgLatencyMs.Should().BeApproximately(((5.0 * 20) + (20.0 * 10)) / 30, 1e-9);
        routes["split"].Requests.Should().Be(0, "zero per-route counters are the route's numbers, not a reason to fall back");
        routes["split"].Errors.Should().Be(0);
        routes["split"].AvgLatencyMs.Should().Be(0);
        routes["off"].Requests.Should().Be(0, "a disabled route reads zero");
        routes["cold"].Requests.Should().Be(0);
    }

    [Test]
    public void Create_DottedRouteAndHostNames_MatchesEachScopeToTheLongestRouteName()
    {
        var state = DesiredState.Empty
            .WithRoute(new RouteSpec { Name = "b", Cluster = "web" })
            .WithRoute(new RouteSpec { Name = "a.route.b", Cluster = "web" })
            .WithRoute(new RouteSpec { Name = "api.v2", Cluster = "web" });
        var stats = new EnvoyStatsBuilder()
            .Value("cluster.web.upstream_rq_total", 1000)
            .Value("vhost.x.route.y.route.a.route.b.upstream_rq_total", 7)
            .Value("vhost.*.route.b.upstream_rq_total", 5)
            .Value("vhost.api.route.example.com.route.api.v2.upstream_rq_total", 3)
            .Build();

        var routes = MetricsResponseFactory.Create(
            new EnvoyStatsReading(EnvoyStatsSample.From(stats, T0), null, EnvoyStatsStatus.Fresh), state, T0).Routes;

        routes["a.route.b"].Requests.Should().Be(7);
        routes["b"].Requests.Should().Be(5);
        routes["api.v2"].Requests.Should().Be(3);
    }

    [Test]
    public void Create_ControlPlaneOnly_ReadsZeroWithTheTimestampSet()
    {
        var now = T0.AddMinutes(3);

        var response = MetricsResponseFactory.Create(EnvoyStatsReading.Absent, State, now);

        response.Timestamp.Should().Be(now.ToUnixTimeMilliseconds());
        response.TotalConnections.Should().Be(0);
        response.ActiveConnections.Should().Be(0);
        response.TotalRequests.Should().Be(0);
        response.RequestsPerSecond.Should().Be(0);
        response.Latency.Should().NotBeNull();
        response.Latency.P99Ms.Should().Be(0);
        response.Latency.AvgMs.Should().Be(0);
        response.StatusCodes.Values.Should().OnlyContain(v => v == 0);
        response.Routes.Values.Should().OnlyContain(r => r.Requests == 0 && r.Errors == 0 && r.AvgLatencyMs == 0);
    }
}
