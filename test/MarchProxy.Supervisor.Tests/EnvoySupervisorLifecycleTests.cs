using System.Diagnostics;
using MarchProxy.Supervisor.Envoy;
using MarchProxy.Supervisor.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MarchProxy.Supervisor.Tests;

/// <summary>Start, readiness, output piping and graceful stop, against the fake Envoy as a real process and an in-test ADS server.</summary>
[TestFixture]
public sealed class EnvoySupervisorLifecycleTests
{
    [TestCase(XdsMode.Delta)]
    [TestCase(XdsMode.Sotw)]
    public async Task Start_FakeEnvoy_BecomesLiveAndReadyWithVersionFromServerInfo(XdsMode mode)
    {
        await using var harness = await SupervisorHarness.CreateAsync(mode);

        await harness.StartAsync();
        var status = await harness.WaitReadyAsync();

        harness.Supervisor.IsReady.Should().BeTrue();
        harness.Supervisor.IsHealthy.Should().BeTrue();
        harness.Supervisor.IsSupervising.Should().BeTrue();
        harness.Supervisor.EnvoyVersion.Should().Be("1.36.2");
        status.EnvoyBuildVersion.Should().EndWith("/1.36.2/Clean/RELEASE/BoringSSL");
        status.Epoch.Should().Be(0);
        status.ProcessId.Should().NotBeNull();
        status.AdminState.Should().Be("LIVE");
        var info = await harness.Admin.GetServerInfoAsync().DefaultTimeout();
        info.RestartEpoch.Should().Be(0);
        info.BaseId.Should().Be(harness.Options.AdminPort, "the base id defaults to the admin port");
        harness.Ads.Events.Where(e => e.Kind == "ACK").Select(e => e.TypeUrl).Should().Contain(
            [TestAdsResources.ClusterType, TestAdsResources.EndpointType, TestAdsResources.ListenerType, TestAdsResources.RouteType]);
        harness.Ads.Events.Should().OnlyContain(e => e.Kind == "STREAM" || e.Mode == (mode == XdsMode.Delta ? "delta" : "sotw"));
        File.Exists(PidFile.PathIn(harness.Options.DataDir)).Should().BeTrue();
    }

    [Test]
    public async Task Start_VersionFromServerInfo_NotHardCoded()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        harness.Binary.Set("FAKE_ENVOY_VERSION", "1.99.7");

        await harness.StartAsync();
        await harness.WaitReadyAsync();

        harness.Supervisor.EnvoyVersion.Should().Be("1.99.7");
    }

    [Test]
    public async Task Start_BeforeConfigIsAccepted_LiveIsNotEnoughForReadiness()
    {
        // The route is NACKed, but the listener and cluster are ACKed: Envoy goes LIVE (it proceeds on a
        // rejection), and readiness follows the ACK ledger, which has CDS and LDS.
        await using var harness = await SupervisorHarness.CreateAsync(resources: new TestAdsResources { RouteName = "routes-nack", ListenerPort = SupervisorHarness.FreePort() });

        await harness.StartAsync();
        await harness.WaitReadyAsync();
        await harness.Ads.WaitForAsync(a => a.Events.Any(e => e.Kind == "NACK"));

        var nack = harness.Ads.Events.Single(e => e.Kind == "NACK");
        nack.TypeUrl.Should().Be(TestAdsResources.RouteType);
        nack.Error.Should().Contain("routes-nack");
    }

    [Test]
    public async Task Poll_AdminReportsDraining_StateDrainingAndNotReady()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        await harness.WaitReadyAsync();

        await harness.Admin.HealthcheckFailAsync().DefaultTimeout();
        var status = await harness.WaitForStatusAsync(s => s.State == EnvoyState.Draining);

        status.AdminState.Should().Be("DRAINING");
        harness.Supervisor.IsReady.Should().BeFalse();
    }

    [Test]
    public async Task EnvoyOutput_SighupLine_PipedToOurLogsAtWarningAndSighupIgnored()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        var status = await harness.WaitReadyAsync();

        PosixSignals.Send(status.ProcessId!.Value, PosixSignals.SigHup).Should().BeTrue();
        var record = await harness.WaitForLogAsync(r => r.Message.Contains("caught and eating SIGHUP", StringComparison.Ordinal));
        record.Id.Id.Should().Be(2100);
        record.Level.Should().Be(LogLevel.Warning);
        harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 2100 && r.Level == LogLevel.Information);
        PosixSignals.IsAlive(status.ProcessId.Value).Should().BeTrue("Envoy ignores SIGHUP");
        harness.Supervisor.State.Should().Be(EnvoyState.Live);
    }

    [Test]
    public async Task Start_BootstrapRejectedByValidate_FailedAndNothingStarted()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        harness.Binary.Set("FAKE_ENVOY_FAIL_VALIDATION", "1");

        await harness.StartAsync();
        var status = await harness.WaitForStatusAsync(s => s.State == EnvoyState.Failed);

        status.LastError.Should().Contain("--mode validate").And.Contain("FAKE_ENVOY_FAIL_VALIDATION");
        status.ProcessId.Should().BeNull();
        status.IsHealthy.Should().BeFalse();
        harness.Supervisor.IsReady.Should().BeFalse();
        harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 2011);
        harness.ReadCallLog().Should().BeEmpty("no Envoy was started");
    }

    [Test]
    public async Task Stop_Graceful_CallsAdminEndpointsInOrderAndExitsCleanly()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        var live = await harness.WaitReadyAsync();
        await harness.PostFakeAsync("/fake/stats", """{"gauges":{"server.total_connections":3}}""");

        await harness.StopAsync();

        var status = harness.Supervisor.GetStatus();
        status.State.Should().Be(EnvoyState.Stopped);
        status.LastExitCode.Should().Be(0);
        PosixSignals.IsAlive(live.ProcessId!.Value).Should().BeFalse();
        File.Exists(PidFile.PathIn(harness.Options.DataDir)).Should().BeFalse();
        var calls = harness.ReadCallLog().Where(c => !c.Contains("/ready", StringComparison.Ordinal) && !c.Contains("/server_info", StringComparison.Ordinal)).ToList();
        calls.Should().HaveCount(6);
        calls[0].Should().Be("0 POST /healthcheck/fail");
        calls[1].Should().Be("0 POST /drain_listeners?graceful");
        calls.Skip(2).Take(3).Should().AllSatisfy(c => c.Should().StartWith("0 GET /stats?format=json&filter="), "server.total_connections goes 3 → 2 → 1 → 0 over three polls");
        calls[5].Should().Be("0 POST /quitquitquit");
    }

    [Test]
    public async Task Stop_ConnectionsNeverDrain_QuitsAfterDrainTimeout()
    {
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => o.DrainTimeout = TimeSpan.FromSeconds(1));
        harness.Binary.Set("FAKE_ENVOY_DRAIN_STEP", "0");
        await harness.StartAsync();
        await harness.WaitReadyAsync();
        await harness.PostFakeAsync("/fake/stats", """{"gauges":{"server.total_connections":5}}""");

        await harness.StopAsync();

        harness.Supervisor.GetStatus().LastExitCode.Should().Be(0);
        harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 2033, "the drain timed out with connections left");
        harness.ReadCallLog()[^1].Should().Be("0 POST /quitquitquit");
    }

    [Test]
    public async Task Stop_QuitIgnored_EscalatesToSigterm()
    {
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => o.StopGracePeriod = TimeSpan.FromSeconds(1));
        harness.Binary.Set("FAKE_ENVOY_IGNORE_QUIT", "1");
        await harness.StartAsync();
        await harness.WaitReadyAsync();

        await harness.StopAsync();

        harness.Supervisor.GetStatus().LastExitCode.Should().Be(0, "Envoy exits cleanly on SIGTERM");
        harness.ReadCallLog().TakeLast(2).Should().Equal("0 POST /quitquitquit", "0 SIGNAL SIGTERM");
        harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 2034 && r.Message.Contains("SIGTERM", StringComparison.Ordinal));
    }

    [Test]
    public async Task Stop_QuitAndSigtermIgnored_EscalatesToSigkill()
    {
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => o.StopGracePeriod = TimeSpan.FromSeconds(1));
        harness.Binary.Set("FAKE_ENVOY_IGNORE_QUIT", "1").Set("FAKE_ENVOY_IGNORE_SIGTERM", "1");
        await harness.StartAsync();
        var live = await harness.WaitReadyAsync();

        await harness.StopAsync();

        harness.Supervisor.GetStatus().LastExitCode.Should().Be(137, "SIGKILL");
        PosixSignals.IsAlive(live.ProcessId!.Value).Should().BeFalse();
        harness.ReadCallLog().TakeLast(2).Should().Equal("0 POST /quitquitquit", "0 SIGNAL SIGTERM");
    }

    [Test]
    public async Task Stop_HostStopsWaiting_KillsEnvoyAtOnce()
    {
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => o.DrainTimeout = TimeSpan.FromSeconds(30));
        harness.Binary.Set("FAKE_ENVOY_DRAIN_STEP", "0");
        await harness.StartAsync();
        var live = await harness.WaitReadyAsync();
        await harness.PostFakeAsync("/fake/stats", """{"gauges":{"server.total_connections":5}}""");
        using var hostGivesUp = new CancellationTokenSource();
        var stopping = harness.Supervisor.StopAsync(hostGivesUp.Token);
        await harness.WaitForStatusAsync(s => s.State == EnvoyState.Draining);

        await hostGivesUp.CancelAsync();
        await stopping.DefaultTimeout();

        harness.Supervisor.State.Should().Be(EnvoyState.Stopped);
        using var process = Process.GetProcessById(live.ProcessId!.Value);
        await process.WaitForExitAsync().DefaultTimeout();
        harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 2036);
    }

    [Test]
    public async Task Stop_CalledTwiceAtOnce_OneGracefulStopBothComplete()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        await harness.WaitReadyAsync();

        var first = harness.Supervisor.StopAsync(CancellationToken.None);
        var second = harness.Supervisor.StopAsync(CancellationToken.None);
        await Task.WhenAll(first, second).DefaultTimeout(TimeSpan.FromSeconds(30));

        harness.Supervisor.GetStatus().LastExitCode.Should().Be(0);
        harness.ReadCallLog().Count(c => c.EndsWith("POST /healthcheck/fail", StringComparison.Ordinal)).Should().Be(1);
        harness.ReadCallLog().Count(c => c.EndsWith("POST /quitquitquit", StringComparison.Ordinal)).Should().Be(1);
    }

    [Test]
    public async Task Stop_AfterTheShutdownSequenceStoppedEnvoy_ReturnsWithoutAnotherStop()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        await harness.WaitReadyAsync();
        await harness.StopAsync();
        var calls = harness.ReadCallLog().Count;

        // The host's own stop comes after the sequence, possibly with a token that has already fired.
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();
        await harness.Supervisor.StopAsync(expired.Token).DefaultTimeout();

        harness.ReadCallLog().Should().HaveCount(calls);
        harness.Logger.Collector.GetSnapshot().Should().NotContain(r => r.Id.Id == 2036, "nothing was left to kill");
        harness.Supervisor.State.Should().Be(EnvoyState.Stopped);
    }

    [Test]
    public async Task Start_NeverLive_ReportedStalledAfterTheStartTimeout()
    {
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => o.StartTimeout = TimeSpan.FromSeconds(1));
        harness.Binary.Set("FAKE_ENVOY_STUCK_EPOCH", "0");

        await harness.StartAsync();
        var stalled = await harness.WaitForStatusAsync(s => s.StartStalled);

        stalled.State.Should().Be(EnvoyState.Starting);
        stalled.IsHealthy.Should().BeFalse();
        stalled.LastError.Should().Contain("not LIVE");
        harness.Supervisor.IsReady.Should().BeFalse();
        harness.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == 2014).Should().ContainSingle("the warning is logged once");
    }

    [Test]
    public async Task Start_LiveWithinTheStartTimeout_NeverStalled()
    {
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => o.StartTimeout = TimeSpan.FromSeconds(30));

        await harness.StartAsync();
        var live = await harness.WaitReadyAsync();

        live.StartStalled.Should().BeFalse();
        live.IsHealthy.Should().BeTrue();
        harness.Logger.Collector.GetSnapshot().Should().NotContain(r => r.Id.Id == 2014);
    }
}
