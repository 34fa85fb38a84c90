using MarchProxy.Alb.Telemetry;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.Telemetry;

public sealed class EnvoyStatsMeasurementsTests
{
    [Test]
    public async Task Instruments_TypicalStats_ExportListenersClustersAndRoutes()
    {
        using var harness = new MetricsHarness();
        harness.ServedConfig.Served((DesiredState.Empty with { Version = 1 }).WithRoute(new RouteSpec { Name = "checkout", Cluster = "web" }));
        await harness.LoadEnvoyStatsAsync(EnvoyStatsBuilder.Typical().Build());

        Values(harness, "marchproxy.envoy.downstream.requests").Should().Equal(new Dictionary<string, long> { ["stat_prefix=ingress"] = 100 });
        Values(harness, "marchproxy.envoy.downstream.responses").Should().Contain("stat_prefix=ingress,class=2xx", 90).And.Contain("stat_prefix=ingress,class=5xx", 4);
        Values(harness, "marchproxy.envoy.downstream.connections.active").Should().Equal(new Dictionary<string, long> { ["stat_prefix=ingress"] = 3 });
        Values(harness, "marchproxy.envoy.downstream.connections.opened").Should().Equal(new Dictionary<string, long> { ["stat_prefix=ingress"] = 12 });
        Values(harness, "marchproxy.envoy.upstream.requests").Should().Equal(new Dictionary<string, long> { ["cluster=api.v2"] = 30, ["cluster=web"] = 70 });
        Values(harness, "marchproxy.envoy.upstream.responses").Should().Contain("cluster=web,class=5xx", 3);
        Values(harness, "marchproxy.envoy.ratelimited").Should().Equal(new Dictionary<string, long> { ["route=checkout"] = 5 });
        Values(harness, "marchproxy.envoy.route.requests").Should().Equal(new Dictionary<string, long> { ["route=checkout"] = 70 });
        Values(harness, "marchproxy.envoy.route.errors").Should().Equal(new Dictionary<string, long> { ["route=checkout"] = 3 });
        Doubles(harness, "marchproxy.envoy.downstream.request_time").Should()
            .Contain("stat_prefix=ingress,quantile=0.99,window=interval", 0.020)
            .And.Contain("stat_prefix=ingress,quantile=0.5,window=cumulative", 0.004);
        Doubles(harness, "marchproxy.envoy.upstream.request_time").Should().Contain("cluster=api.v2,quantile=0.95,window=interval", 0.004);
        Doubles(harness, "marchproxy.envoy.route.request_time").Should().Contain("route=checkout,quantile=0.9", 0.008);
        Doubles(harness, "marchproxy.envoy.route.mean_request_time").Keys.Should().Equal("route=checkout");
        Ints(harness, "marchproxy.envoy.stats.stale").Should().Equal(new Dictionary<string, int> { [string.Empty] = 0 });
        Doubles(harness, "marchproxy.envoy.stats.age").Should().Equal(new Dictionary<string, double> { [string.Empty] = 0 });
    }

    [Test]
    public async Task Instruments_MoreNamesThanTheLabelLimit_SumTheRestUnderOther()
    {
        using var harness = new MetricsHarness(maxLabelValues: 1);
        await harness.LoadEnvoyStatsAsync(EnvoyStatsBuilder.Typical().Build());

        Values(harness, "marchproxy.envoy.upstream.requests").Should().Equal(new Dictionary<string, long> { ["cluster=api.v2"] = 30, ["cluster=other"] = 70 });
        Doubles(harness, "marchproxy.envoy.upstream.request_time").Keys.Should().OnlyContain(k => k.StartsWith("cluster=api.v2,", StringComparison.Ordinal));
    }

    [Test]
    public async Task Instruments_StaleStats_KeepTheValuesAndReportStaleAndAge()
    {
        using var harness = new MetricsHarness();
        await harness.LoadEnvoyStatsAsync(EnvoyStatsBuilder.Typical().Build());
        harness.Admin.AutoAnswer = () => throw new HttpRequestException("Connection refused");
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        (await harness.Bridge.GetAsync(CancellationToken.None).DefaultTimeout()).Status.Should().Be(EnvoyStatsStatus.Stale);

        Values(harness, "marchproxy.envoy.downstream.requests").Should().Equal(new Dictionary<string, long> { ["stat_prefix=ingress"] = 100 });
        Ints(harness, "marchproxy.envoy.stats.stale").Should().Equal(new Dictionary<string, int> { [string.Empty] = 1 });
        Doubles(harness, "marchproxy.envoy.stats.age").Should().Equal(new Dictionary<string, double> { [string.Empty] = 30 });
    }

    [Test]
    public async Task Instruments_ControlPlaneOnly_ReportNothing()
    {
        using var harness = new MetricsHarness(FakeEnvoySupervisor.Absent());
        (await harness.Bridge.GetAsync(CancellationToken.None).DefaultTimeout()).Status.Should().Be(EnvoyStatsStatus.Absent);

        Values(harness, "marchproxy.envoy.downstream.requests").Should().BeEmpty();
        Values(harness, "marchproxy.envoy.upstream.requests").Should().BeEmpty();
        Ints(harness, "marchproxy.envoy.stats.stale").Should().BeEmpty();
        harness.Admin.ReadCount.Should().Be(0);
    }

    private static Dictionary<string, long> Values(MetricsHarness harness, string instrument) => Collect<long>(harness, instrument);

    private static Dictionary<string, double> Doubles(MetricsHarness harness, string instrument) => Collect<double>(harness, instrument);

    private static Dictionary<string, int> Ints(MetricsHarness harness, string instrument) => Collect<int>(harness, instrument);

    /// <summary>One observation of <paramref name="instrument"/>, keyed by "tag=value,…" in tag order.</summary>
    private static Dictionary<string, T> Collect<T>(MetricsHarness harness, string instrument)
        where T : struct
    {
        using var collector = harness.Collect<T>(instrument);
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot().ToDictionary(
            m => string.Join(',', m.Tags.Select(t => $"{t.Key}={t.Value}")),
            m => m.Value);
    }
}
