using MarchProxy.Alb.Telemetry;
using MarchProxy.Supervisor;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MarchProxy.Alb.Tests.Telemetry;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class EnvoyStatsBridgeTests
{
    private static readonly TelemetryOptions Settings = new() { EnvoyStatsTtl = TimeSpan.FromSeconds(5), EnvoyStatsTimeout = TimeSpan.FromSeconds(1) };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeEnvoyAdminClient _admin = new();
    private readonly FakeEnvoySupervisor _supervisor = new();
    private readonly FakeLogger<EnvoyStatsBridge> _logger = new();

    [Test]
    public async Task GetAsync_WithinTtl_ServesTheCachedSample()
    {
        _admin.AutoAnswer = () => EnvoyStatsBuilder.Typical().Build();
        var bridge = CreateBridge();

        var first = await bridge.GetAsync(CancellationToken.None).DefaultTimeout();
        _time.Advance(TimeSpan.FromSeconds(4));
        var second = await bridge.GetAsync(CancellationToken.None).DefaultTimeout();

        first.Status.Should().Be(EnvoyStatsStatus.Fresh);
        first.Current.DownstreamRequests.Total.Should().Be(100);
        second.Should().BeSameAs(first);
        _admin.ReadCount.Should().Be(1);
        _admin.LastFilter.Should().Be(EnvoyStatsSample.AdminStatsFilter);
    }

    [Test]
    public async Task GetAsync_AfterTtl_ReadsAgainAndKeepsThePreviousSample()
    {
        var total = 100L;
        _admin.AutoAnswer = () => new EnvoyStatsBuilder().Value("http.ingress.downstream_rq_total", total).Build();
        var bridge = CreateBridge();
        var first = await bridge.GetAsync(CancellationToken.None).DefaultTimeout();

        total = 150;
        _time.Advance(Settings.EnvoyStatsTtl);
        var second = await bridge.GetAsync(CancellationToken.None).DefaultTimeout();

        _admin.ReadCount.Should().Be(2);
        second.Previous.Should().BeSameAs(first.Current);
        second.Current.DownstreamRequests.Total.Should().Be(150);
        second.RequestsPerSecond().Should().Be(10);
    }

    [Test]
    public async Task GetAsync_SlowAdmin_TimesOutWithTheLastValuesMarkedStale()
    {
        var bridge = CreateBridge();
        var good = await ReadOnceAsync(bridge, EnvoyStatsBuilder.Typical().Build());
        _time.Advance(Settings.EnvoyStatsTtl);

        var pending = bridge.GetAsync(CancellationToken.None);
        await _admin.Reads.ReadAsync().AsTask().DefaultTimeout();
        _time.Advance(Settings.EnvoyStatsTimeout);
        var reading = await pending.DefaultTimeout();

        reading.Status.Should().Be(EnvoyStatsStatus.Stale);
        reading.Current.Should().BeSameAs(good.Current);
        _logger.Collector.GetSnapshot().Select(r => r.Id.Id).Should().Contain(3301);
    }

    [Test]
    public async Task GetAsync_DeadAdmin_KeepsTheLastValuesMarkedStaleAndLogsOnce()
    {
        var bridge = CreateBridge();
        var good = await ReadOnceAsync(bridge, EnvoyStatsBuilder.Typical().Build());
        _admin.AutoAnswer = () => throw new HttpRequestException("Connection refused");

        _time.Advance(Settings.EnvoyStatsTtl);
        var first = await bridge.GetAsync(CancellationToken.None).DefaultTimeout();
        _time.Advance(Settings.EnvoyStatsTtl);
        var second = await bridge.GetAsync(CancellationToken.None).DefaultTimeout();

        first.Status.Should().Be(EnvoyStatsStatus.Stale);
        second.Status.Should().Be(EnvoyStatsStatus.Stale);
        second.Current.Should().BeSameAs(good.Current);
        var ids = _logger.Collector.GetSnapshot().Select(r => r.Id.Id).ToList();
        ids.Count(id => id == 3300).Should().Be(1);
        ids.Should().Contain(3302);
    }

    [Test]
    public async Task GetAsync_AdminRecovers_IsFreshAgainAndLogsIt()
    {
        _admin.AutoAnswer = () => throw new EnvoyAdminException("GET /stats answered 503");
        var bridge = CreateBridge();
        (await bridge.GetAsync(CancellationToken.None).DefaultTimeout()).Status.Should().Be(EnvoyStatsStatus.Stale);

        _admin.AutoAnswer = () => EnvoyStatsBuilder.Typical().Build();
        _time.Advance(Settings.EnvoyStatsTtl);
        var reading = await bridge.GetAsync(CancellationToken.None).DefaultTimeout();

        reading.Status.Should().Be(EnvoyStatsStatus.Fresh);
        reading.HasSample.Should().BeTrue();
        _logger.Collector.GetSnapshot().Select(r => r.Id.Id).Should().Contain(3303);
    }

    [Test]
    public async Task Peek_DueCache_AnswersAtOnceAndReadsInTheBackground()
    {
        var bridge = CreateBridge();

        var first = bridge.Peek();
        var read = await _admin.Reads.ReadAsync().AsTask().DefaultTimeout();

        first.Status.Should().Be(EnvoyStatsStatus.NotRead);
        bridge.Peek().Status.Should().Be(EnvoyStatsStatus.NotRead);
        read.Answer.SetResult(EnvoyStatsBuilder.Typical().Build());
        var joined = await bridge.GetAsync(CancellationToken.None).DefaultTimeout();
        joined.Status.Should().Be(EnvoyStatsStatus.Fresh);
        bridge.Peek().Should().BeSameAs(joined);
        _admin.ReadCount.Should().Be(1);
    }

    [Test]
    public async Task GetAsync_ControlPlaneOnly_NeverReads()
    {
        var bridge = new EnvoyStatsBridge(_admin, FakeEnvoySupervisor.Absent(), Options.Create(Settings), _time, _logger);

        var reading = await bridge.GetAsync(CancellationToken.None).DefaultTimeout();

        reading.Status.Should().Be(EnvoyStatsStatus.Absent);
        bridge.Peek().Status.Should().Be(EnvoyStatsStatus.Absent);
        _admin.ReadCount.Should().Be(0);
    }

    [Test]
    public async Task GetAsync_EnvoyNotServing_DoesNotReadAndMarksTheLastValuesStale()
    {
        var bridge = CreateBridge();
        var good = await ReadOnceAsync(bridge, EnvoyStatsBuilder.Typical().Build());
        _supervisor.Status = _supervisor.Status with { State = EnvoyState.Restarting, IsServing = false };

        _time.Advance(Settings.EnvoyStatsTtl);
        var reading = await bridge.GetAsync(CancellationToken.None).DefaultTimeout();

        reading.Status.Should().Be(EnvoyStatsStatus.Stale);
        reading.Current.Should().BeSameAs(good.Current);
        _admin.ReadCount.Should().Be(1);
    }

    [Test]
    public async Task Poller_EveryTtl_ReadsOnce()
    {
        var bridge = CreateBridge();
        using var poller = new EnvoyStatsPoller(bridge, Options.Create(Settings), _time);
        await poller.StartAsync(CancellationToken.None);

        var first = await _admin.Reads.ReadAsync().AsTask().DefaultTimeout();
        first.Answer.SetResult(EnvoyStatsBuilder.Typical().Build());
        _time.Advance(Settings.EnvoyStatsTtl);
        var second = await _admin.Reads.ReadAsync().AsTask().DefaultTimeout();
        second.Answer.SetResult(EnvoyStatsBuilder.Typical().Build());
        await poller.StopAsync(CancellationToken.None).DefaultTimeout();

        _admin.ReadCount.Should().Be(2);
    }

    private EnvoyStatsBridge CreateBridge() =>
        new(_admin, _supervisor, Options.Create(Settings), _time, _logger);

    private async Task<EnvoyStatsReading> ReadOnceAsync(EnvoyStatsBridge bridge, EnvoyStats stats)
    {
        var pending = bridge.GetAsync(CancellationToken.None);
        var read = await _admin.Reads.ReadAsync().AsTask().DefaultTimeout();
        read.Answer.SetResult(stats);
        var reading = await pending.DefaultTimeout();
        reading.Status.Should().Be(EnvoyStatsStatus.Fresh);
        return reading;
    }
}
