using System.Net;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Telemetry;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.Supervisor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>
/// The real ALB whose bridge reads a real fake-Envoy process through the supervisor's admin client.
/// The supervisor is a stub that says "live"; the bridge runs on a fake clock, so each test decides
/// when a new read is due and when a read times out.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class FakeEnvoyStatsTests : AlbHostFixture
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _bridgeTime = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeEnvoySupervisor _supervisor = new()
    {
        Status = new EnvoyStatus { State = EnvoyState.Live, IsServing = true, AdminReachable = true, Epoch = 1, EnvoyVersion = "1.36.2" },
    };

    private int _adminPort;
    private EnvoyStatsBridge _bridge = null!;

    // Read once per test, as its host starts: each test takes a port that is free right then (one
    // taken when the fixture was built could belong to another process by the time the test runs).
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            _adminPort = FakeEnvoyProcess.FreePort();
            return new Dictionary<string, string?>
            {
                ["Envoy:AdminPort"] = _adminPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Only the bridge's own timeout (on its fake clock) may end a slow read.
                ["Envoy:AdminRequestTimeout"] = "00:01:00",
            };
        }
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEnvoySupervisor>(_supervisor);
        services.AddSingleton(sp => new EnvoyStatsBridge(
            sp.GetRequiredService<IEnvoyAdminClient>(),
            _supervisor,
            sp.GetRequiredService<IOptions<TelemetryOptions>>(),
            _bridgeTime,
            sp.GetRequiredService<ILogger<EnvoyStatsBridge>>()));
    }

    [SetUp]
    public async Task SetUp()
    {
        _bridge = Host.Services.GetRequiredService<EnvoyStatsBridge>();

        // Let the poller's first read (before any fake Envoy runs) finish, so the next one is ours.
        await _bridge.GetAsync(CancellationToken.None).DefaultTimeout();
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("api", port: 8082)).ResponseAsync.DefaultTimeout();
        await Host.Client.UpsertRouteAsync(Requests.UpsertRoute("checkout", "web", "/checkout")).ResponseAsync.DefaultTimeout();
        await Host.Client.UpsertRouteAsync(Requests.UpsertRoute("orders", "api", "/orders")).ResponseAsync.DefaultTimeout();
    }

    [Test]
    public async Task GetMetrics_FakeEnvoyStats_EveryFieldMatchesWhatTheFakeServes()
    {
        await using var envoy = await StartFakeEnvoyAsync();
        await envoy.SetStatsAsync("""{"counters": {"http.ingress.downstream_rq_total": 40}}""");
        await ReadAsync(EnvoyStatsStatus.Fresh);
        await envoy.SetStatsAsync(TrafficStats);

        var reading = await ReadAsync(EnvoyStatsStatus.Fresh);
        var metrics = await Host.Client.GetMetricsAsync(new MetricsRequest()).ResponseAsync.DefaultTimeout();

        metrics.Timestamp.Should().Be(_bridgeTime.GetUtcNow().ToUnixTimeMilliseconds());
        metrics.TotalRequests.Should().Be(100);
        metrics.RequestsPerSecond.Should().Be(12, "(100 - 40) requests over the 5 s between the two reads");
        metrics.TotalConnections.Should().Be(30);
        metrics.ActiveConnections.Should().Be(7);
        metrics.StatusCodes.Should().Equal(new Dictionary<string, long> { ["2xx"] = 90, ["3xx"] = 2, ["4xx"] = 5, ["5xx"] = 3 });
        // The fake computes nearest-rank quantiles of the samples 1..100 ms.
        metrics.Latency.P50Ms.Should().Be(50);
        metrics.Latency.P90Ms.Should().Be(90);
        metrics.Latency.P95Ms.Should().Be(95);
        metrics.Latency.P99Ms.Should().Be(99);
        metrics.Latency.AvgMs.Should().BeApproximately(50.5, 1, "the mean of 1..100, approximated from the quantiles");
        metrics.Routes.Keys.Should().BeEquivalentTo("checkout", "orders");
        // "checkout" has per-route stats (vhost.*.route.checkout.*), not its cluster's numbers.
        metrics.Routes["checkout"].Requests.Should().Be(50);
        metrics.Routes["checkout"].Errors.Should().Be(4);
        metrics.Routes["checkout"].AvgLatencyMs.Should().BeApproximately(20, 1e-9);
        // "orders" has none, so it falls back to its cluster "api".
        metrics.Routes["orders"].Requests.Should().Be(25);
        metrics.Routes["orders"].Errors.Should().Be(1);
        metrics.Routes["orders"].AvgLatencyMs.Should().BeApproximately(40, 1e-9);
        reading.Current.RateLimited.Should().Equal(new Dictionary<string, long> { ["checkout"] = 6 });
    }

    [Test]
    public async Task Scrape_FakeEnvoyStats_ExportsTheSameNumbersAsGetMetrics()
    {
        await using var envoy = await StartFakeEnvoyAsync();
        await envoy.SetStatsAsync(TrafficStats);
        await ReadAsync(EnvoyStatsStatus.Fresh);

        var metrics = await ScrapeAsync();

        metrics.Value("marchproxy_envoy_downstream_requests_total", ("stat_prefix", "ingress")).Should().Be(100);
        metrics.Value("marchproxy_envoy_downstream_responses_total", ("stat_prefix", "ingress"), ("class", "5xx")).Should().Be(3);
        metrics.Value("marchproxy_envoy_downstream_connections_active", ("stat_prefix", "ingress")).Should().Be(7);
        metrics.Value("marchproxy_envoy_downstream_connections_opened_total", ("stat_prefix", "ingress")).Should().Be(30);
        metrics.Value("marchproxy_envoy_downstream_request_time_seconds", ("stat_prefix", "ingress"), ("quantile", "0.99"), ("window", "interval")).Should().Be(0.099);
        metrics.Value("marchproxy_envoy_upstream_requests_total", ("cluster", "web")).Should().Be(70);
        metrics.Value("marchproxy_envoy_upstream_responses_total", ("cluster", "api"), ("class", "5xx")).Should().Be(1);
        metrics.Value("marchproxy_envoy_upstream_request_time_seconds", ("cluster", "api"), ("quantile", "0.5"), ("window", "cumulative")).Should().Be(0.04);
        metrics.Value("marchproxy_envoy_ratelimited_total", ("route", "checkout")).Should().Be(6);
        metrics.Value("marchproxy_envoy_route_requests_total", ("route", "checkout")).Should().Be(50);
        metrics.Value("marchproxy_envoy_route_errors_total", ("route", "checkout")).Should().Be(4);
        metrics.Value("marchproxy_envoy_route_errors_total", ("route", "orders")).Should().Be(1);
        metrics.Value("marchproxy_envoy_route_mean_request_time_seconds", ("route", "orders")).Should().BeApproximately(0.04, 1e-12);
        metrics.Value("marchproxy_envoy_route_request_time_seconds", ("route", "checkout"), ("quantile", "0.95")).Should().BeApproximately(0.02, 1e-12);
        metrics.Value("marchproxy_envoy_stats_stale").Should().Be(0);
        metrics.Value("marchproxy_envoy_up").Should().Be(1);
        metrics.Value("marchproxy_envoy_state", ("state", "live")).Should().Be(1);
        metrics.Value("marchproxy_envoy_hot_restart_epoch").Should().Be(1);
    }

    [Test]
    public async Task Bridge_DeadFakeEnvoy_KeepsTheLastValuesMarkedStale()
    {
        await using var envoy = await StartFakeEnvoyAsync();
        await envoy.SetStatsAsync(TrafficStats);
        await ReadAsync(EnvoyStatsStatus.Fresh);

        await envoy.KillAsync();
        var reading = await ReadAsync(EnvoyStatsStatus.Stale);

        reading.Current.DownstreamRequests.Total.Should().Be(100);
        var metrics = await Host.Client.GetMetricsAsync(new MetricsRequest()).ResponseAsync.DefaultTimeout();
        metrics.TotalRequests.Should().Be(100);
        metrics.Routes["checkout"].Requests.Should().Be(50);
        var scrape = await ScrapeAsync();
        scrape.Value("marchproxy_envoy_stats_stale").Should().Be(1);
        scrape.Value("marchproxy_envoy_stats_age_seconds").Should().Be(Ttl.TotalSeconds);
        scrape.Value("marchproxy_envoy_downstream_requests_total", ("stat_prefix", "ingress")).Should().Be(100);
    }

    [Test]
    public async Task Bridge_SlowFakeEnvoy_NeverBlocksAScrapeAndTimesOutMarkedStale()
    {
        // Each admin call of this fake takes a minute; the test's own timeout is 10 s.
        await using var envoy = await StartFakeEnvoyAsync(new Dictionary<string, string> { ["FAKE_ENVOY_ADMIN_DELAY_MS"] = "60000" });
        _bridgeTime.Advance(Ttl);
        var pending = _bridge.GetAsync(CancellationToken.None);

        // While the read hangs, a scrape and GetMetrics still answer at once, from memory.
        (await ScrapeAsync()).Value("marchproxy_envoy_up").Should().Be(1);
        (await Host.Client.GetMetricsAsync(new MetricsRequest()).ResponseAsync.DefaultTimeout()).TotalRequests.Should().Be(0);
        pending.IsCompleted.Should().BeFalse();
        _bridgeTime.Advance(Host.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.EnvoyStatsTimeout);
        var reading = await pending.DefaultTimeout();

        reading.Status.Should().Be(EnvoyStatsStatus.Stale);
        reading.HasSample.Should().BeFalse();
        var metrics = await Host.Client.GetMetricsAsync(new MetricsRequest()).ResponseAsync.DefaultTimeout();
        metrics.TotalRequests.Should().Be(0);
        metrics.Timestamp.Should().Be(_bridgeTime.GetUtcNow().ToUnixTimeMilliseconds());
        (await ScrapeAsync()).Value("marchproxy_envoy_stats_stale").Should().Be(1);
    }

    /// <summary>
    /// Listener "ingress", clusters "web" (10 ms) and "api" (40 ms), the "checkout" route's own stats
    /// in the any-host virtual host (20 ms) and its rate limit; no route stats for "orders".
    /// </summary>
    private static string TrafficStats => $$"""
        {
          "counters": {
            "http.ingress.downstream_rq_total": 100,
            "http.ingress.downstream_rq_2xx": 90,
            "http.ingress.downstream_rq_3xx": 2,
            "http.ingress.downstream_rq_4xx": 5,
            "http.ingress.downstream_rq_5xx": 3,
            "http.ingress.downstream_cx_total": 30,
            "http.admin.downstream_rq_total": 999,
            "cluster.web.upstream_rq_total": 70,
            "cluster.web.upstream_rq_2xx": 68,
            "cluster.web.upstream_rq_5xx": 2,
            "cluster.api.upstream_rq_total": 25,
            "cluster.api.upstream_rq_2xx": 24,
            "cluster.api.upstream_rq_5xx": 1,
            "vhost.*.route.checkout.upstream_rq_total": 50,
            "vhost.*.route.checkout.upstream_rq_2xx": 46,
            "vhost.*.route.checkout.upstream_rq_5xx": 4,
            "vhost.*.route.checkout.upstream_rq_retry": 3,
            "checkout.http_local_rate_limit.rate_limited": 6
          },
          "gauges": { "http.ingress.downstream_cx_active": 7 },
          "histograms": {
            "http.ingress.downstream_rq_time": [{{string.Join(",", Enumerable.Range(1, 100))}}],
            "cluster.web.upstream_rq_time": [10, 10, 10, 10],
            "cluster.api.upstream_rq_time": [40, 40],
            "vhost.*.route.checkout.upstream_rq_time": [20, 20, 20]
          }
        }
        """;

    private Task<FakeEnvoyProcess> StartFakeEnvoyAsync(IReadOnlyDictionary<string, string>? environment = null) =>
        FakeEnvoyProcess.StartAsync(Dir.Path, _adminPort, Host.Port(EndpointRole.Xds), environment);

    /// <summary>Makes a new read due on the bridge's clock and waits for it.</summary>
    private async Task<EnvoyStatsReading> ReadAsync(EnvoyStatsStatus expected)
    {
        _bridgeTime.Advance(Ttl);
        var reading = await _bridge.GetAsync(CancellationToken.None).DefaultTimeout();
        reading.Status.Should().Be(expected);
        return reading;
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(Host.Address(EndpointRole.Metrics), "/metrics")).DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }
}
