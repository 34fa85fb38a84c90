using MarchProxy.Supervisor.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MarchProxy.Supervisor.Tests;

/// <summary>No Envoy to supervise (disabled, or no binary): control-plane-only mode, reported as absent.</summary>
[TestFixture]
public sealed class ControlPlaneOnlyTests
{
    [Test]
    public async Task Start_Disabled_AbsentNotSupervisingWithOneWarning()
    {
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => o.Enabled = false);

        await harness.StartAsync();

        harness.Supervisor.State.Should().Be(EnvoyState.Absent);
        harness.Supervisor.IsSupervising.Should().BeFalse();
        harness.Supervisor.IsReady.Should().BeFalse("readiness without Envoy is the host's call");
        harness.Supervisor.IsHealthy.Should().BeTrue();
        harness.Supervisor.AbsentReason.Should().Contain("ENVOY_ENABLED=false");
        harness.Logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 2000 && r.Level == LogLevel.Warning);
        var result = await harness.Supervisor.HotRestartAsync().DefaultTimeout();
        result.Outcome.Should().Be(HotRestartOutcome.NotSupervised);
        await harness.StopAsync();
        harness.Supervisor.State.Should().Be(EnvoyState.Absent);
    }

    [Test]
    public async Task Start_BinaryPathMissing_AbsentWithTheReason()
    {
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => o.BinaryPath = "/nonexistent/bin/envoy");

        await harness.StartAsync();

        harness.Supervisor.State.Should().Be(EnvoyState.Absent);
        harness.Supervisor.AbsentReason.Should().Contain("/nonexistent/bin/envoy");
    }
}
