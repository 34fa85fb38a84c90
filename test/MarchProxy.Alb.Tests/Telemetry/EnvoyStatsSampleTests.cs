using MarchProxy.Alb.Telemetry;

namespace MarchProxy.Alb.Tests.Telemetry;

public sealed class EnvoyStatsSampleTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Test]
    public void From_TypicalStats_ReadsListenersWithoutAdmin()
    {
        var sample = EnvoyStatsSample.From(EnvoyStatsBuilder.Typical().Build(), At);

        sample.Timestamp.Should().Be(At);
        sample.Downstream.Keys.Should().Equal("ingress");
        var ingress = sample.Downstream["ingress"];
        ingress.Requests.Should().Be(new RequestCounts(100, 0, 90, 0, 6, 4));
        ingress.ConnectionsActive.Should().Be(3);
        ingress.ConnectionsTotal.Should().Be(12);
        sample.DownstreamRequests.Total.Should().Be(100);
        sample.ConnectionsActive.Should().Be(3);
        sample.ConnectionsTotal.Should().Be(12);
    }

    [Test]
    public void From_ClusterNamesWithDotsAndDynamicSubScopes_FindsEachClusterOnce()
    {
        var sample = EnvoyStatsSample.From(EnvoyStatsBuilder.Typical().Build(), At);

        // "cluster.web.external.upstream_rq_2xx" must not create a cluster "web.external".
        sample.Upstream.Keys.Should().Equal("api.v2", "web");
        sample.Upstream["api.v2"].Requests.Should().Be(new RequestCounts(30, 0, 29, 0, 0, 1));
        sample.Upstream["web"].Requests.Should().Be(new RequestCounts(70, 0, 67, 0, 0, 3));
    }

    [Test]
    public void From_RateLimitStats_ReportsRoutesButNotTheListenerFilter()
    {
        var sample = EnvoyStatsSample.From(EnvoyStatsBuilder.Typical().Build(), At);

        sample.RateLimited.Should().Equal(new Dictionary<string, long> { ["checkout"] = 5 });
        sample.HotRestartEpoch.Should().Be(2);
    }

    [Test]
    public void From_RequestTimeHistogram_GivesQuantilesAndApproximateMean()
    {
        var sample = EnvoyStatsSample.From(EnvoyStatsBuilder.Typical().Build(), At);

        var latency = sample.Downstream["ingress"].RequestTime.Recent!;
        latency.P50.Should().Be(4);
        latency.P90.Should().Be(10);
        latency.P95.Should().Be(12);
        latency.P99.Should().Be(20);
        // Trapezoids over 0,25,50,75,90,95,99,99.5,99.9,100 with 1,2,4,6,10,12,20,25,30,40.
        var expected = (0.25 * 1.5) + (0.25 * 3) + (0.25 * 5) + (0.15 * 8) + (0.05 * 11) + (0.04 * 16) + (0.005 * 22.5) + (0.004 * 27.5) + (0.001 * 35);
        latency.Mean.Should().BeApproximately(expected, 1e-9);
        sample.DownstreamLatency.Should().Be(latency);
    }

    [Test]
    public void From_IntervalWithoutSamples_FallsBackToCumulative()
    {
        double?[] none = [null, null, null, null, null, null, null, null, null, null];
        double?[] cumulative = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var stats = new EnvoyStatsBuilder()
            .Value("http.ingress.downstream_rq_total", 1)
            .Histogram("http.ingress.downstream_rq_time", none, cumulative)
            .Build();

        var windows = EnvoyStatsSample.From(stats, At).Downstream["ingress"].RequestTime;

        windows.Interval.Should().BeNull();
        windows.Cumulative!.P50.Should().Be(3);
        windows.Recent.Should().BeSameAs(windows.Cumulative);
    }

    [Test]
    public void From_NoStats_IsEmptyWithZeroLatency()
    {
        var sample = EnvoyStatsSample.From(new EnvoyStatsBuilder().Build(), At);

        sample.Downstream.Should().BeEmpty();
        sample.Upstream.Should().BeEmpty();
        sample.RateLimited.Should().BeEmpty();
        sample.HotRestartEpoch.Should().BeNull();
        sample.DownstreamLatency.Should().Be(LatencySummary.Zero);
    }

    [Test]
    public void From_RouteStats_KeepsEveryRouteScopeButNotVirtualClusters()
    {
        var stats = new EnvoyStatsBuilder()
            .Value("vhost.*.route.checkout.upstream_rq_total", 10)
            .Value("vhost.*.route.checkout.upstream_rq_2xx", 9)
            .Value("vhost.*.route.checkout.upstream_rq_5xx", 1)
            .Histogram("vhost.*.route.checkout.upstream_rq_time", 3, 3, 3, 3, 3, 3, 3, 3, 3, 3)
            .Value("vhost.api.example.com.route.api.v2.upstream_rq_total", 4)
            .Value("vhost.*.vcluster.other.upstream_rq_total", 7)
            .Build();

        var sample = EnvoyStatsSample.From(stats, DateTimeOffset.UnixEpoch);

        sample.RouteScopes.Keys.Should().Equal("*.route.checkout", "api.example.com.route.api.v2");
        sample.RouteScopes["*.route.checkout"].Requests.Should().Be(new RequestCounts(10, 0, 9, 0, 0, 1));
        sample.RouteScopes["*.route.checkout"].RequestTime.Recent!.P99.Should().Be(3);
        sample.RouteScopes["api.example.com.route.api.v2"].Requests.Total.Should().Be(4);
        sample.RouteScopes["api.example.com.route.api.v2"].RequestTime.Should().Be(HistogramWindows.None);
    }

    [Test]
    public void AdminStatsFilter_MatchesEveryStatTheSampleReads()
    {
        var filter = new System.Text.RegularExpressions.Regex(EnvoyStatsSample.AdminStatsFilter);
        string[] wanted =
        [
            "http.ingress.downstream_rq_total", "http.ingress.downstream_rq_2xx", "http.ingress.downstream_rq_5xx",
            "http.ingress.downstream_cx_total", "http.ingress.downstream_cx_active", "http.ingress.downstream_rq_time",
            "cluster.api.v2.upstream_rq_total", "cluster.api.v2.upstream_rq_1xx", "cluster.api.v2.upstream_rq_time",
            "cluster.web.membership_total", "checkout.http_local_rate_limit.rate_limited", "server.hot_restart_epoch",
            "vhost.*.route.checkout.upstream_rq_total", "vhost.api.example.com.route.a.b.upstream_rq_5xx", "vhost.x.route.y.upstream_rq_time",
        ];
        string[] unwanted =
        [
            "cluster.web.upstream_cx_total", "http.ingress.downstream_rq_active", "server.live", "listener_manager.lds.update_success",
            "vhost.x.route.y.upstream_rq_retry", "vhost.x.route.y.upstream_rq_timeout", "vhost.x.vcluster.y.upstream_rq_total",
        ];

        wanted.Should().OnlyContain(name => filter.IsMatch(name));
        unwanted.Should().NotContain(name => filter.IsMatch(name));
    }
}
