using System.Collections.Concurrent;
using System.Diagnostics;
using MarchProxy.Supervisor.Envoy;
using MarchProxy.Supervisor.Tests.Infrastructure;
using Microsoft.Extensions.Primitives;

namespace MarchProxy.Supervisor.Tests;

/// <summary>Hot restart by epoch against the fake Envoy, which hands its admin port and its traffic over as real Envoy does.</summary>
[TestFixture]
public sealed class HotRestartTests
{
    [Test]
    public async Task HotRestart_NewEpochLive_MovesToEpochOneWithoutReadinessGap()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        var before = await harness.WaitReadyAsync();
        using var parent = Process.GetProcessById(before.ProcessId!.Value);
        var observed = new ConcurrentQueue<(EnvoyState State, bool Ready)>();
        using var watch = ChangeToken.OnChange(harness.Supervisor.GetChangeToken, () => observed.Enqueue((harness.Supervisor.State, harness.Supervisor.IsReady)));

        var result = await harness.Supervisor.HotRestartAsync().DefaultTimeout(SupervisorHarness.ProcessTimeout);

        result.Should().Be(HotRestartResult.Success(0, 1));
        var after = harness.Supervisor.GetStatus();
        after.State.Should().Be(EnvoyState.Live);
        after.Epoch.Should().Be(1);
        after.HotRestartCount.Should().Be(1);
        after.ProcessId.Should().NotBe(before.ProcessId);
        observed.Should().Contain(o => o.State == EnvoyState.HotRestarting);
        observed.Should().OnlyContain(o => o.Ready, "readiness never drops during a successful hot restart");
        (await harness.Admin.GetServerInfoAsync().DefaultTimeout()).RestartEpoch.Should().Be(1, "the new epoch owns the admin port");
        (await harness.Admin.GetReadyAsync().DefaultTimeout()).IsLive.Should().BeTrue();

        // The old epoch drains and is terminated by the new one after --parent-shutdown-time-s.
        await parent.WaitForExitAsync().DefaultTimeout();
        await harness.WaitForLogAsync(r => r.Id.Id == 2023);
        harness.ReadCallLog().Should().NotContain(c => c.StartsWith("0 SIGNAL", StringComparison.Ordinal), "the supervisor never had to signal the old epoch");
        harness.Supervisor.IsReady.Should().BeTrue();
        var pid = PidFile.Read(harness.Options.DataDir);
        pid.Should().Be(new PidRecord(after.ProcessId!.Value, 1, harness.Options.AdminPort));
    }

    [Test]
    public async Task HotRestart_NewEpochDiesWhileInitializing_OldEpochKeepsServingAndARetrySucceeds()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        var before = await harness.WaitReadyAsync();
        harness.Binary.Set("FAKE_ENVOY_FAIL_EPOCH", "1");

        var failed = await harness.Supervisor.HotRestartAsync().DefaultTimeout(SupervisorHarness.ProcessTimeout);

        failed.Outcome.Should().Be(HotRestartOutcome.ChildFailed);
        failed.FromEpoch.Should().Be(0);
        failed.ToEpoch.Should().Be(0);
        failed.Error.Should().Contain("exited with code 1");
        var status = harness.Supervisor.GetStatus();
        status.State.Should().Be(EnvoyState.Live);
        status.Epoch.Should().Be(0);
        status.ProcessId.Should().Be(before.ProcessId);
        PosixSignals.IsAlive(before.ProcessId!.Value).Should().BeTrue("the old epoch keeps serving");
        harness.Supervisor.IsReady.Should().BeTrue();

        harness.Binary.Set("FAKE_ENVOY_FAIL_EPOCH", null);
        var retried = await harness.Supervisor.HotRestartAsync().DefaultTimeout(SupervisorHarness.ProcessTimeout);

        retried.Should().Be(HotRestartResult.Success(0, 1), "nothing was left half-done");
        harness.Supervisor.Epoch.Should().Be(1);
    }

    [Test]
    public async Task HotRestart_NewEpochNeverLive_TimesOutAndOldEpochKeepsServing()
    {
        // Long enough for the stuck epoch (a .NET process) to be up and handling signals on a loaded machine.
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => o.ReloadGracePeriod = TimeSpan.FromSeconds(8));
        await harness.StartAsync();
        var before = await harness.WaitReadyAsync();
        harness.Binary.Set("FAKE_ENVOY_STUCK_EPOCH", "1");

        var result = await harness.Supervisor.HotRestartAsync().DefaultTimeout(SupervisorHarness.ProcessTimeout);

        result.Outcome.Should().Be(HotRestartOutcome.TimedOut);
        harness.Supervisor.Epoch.Should().Be(0);
        harness.Supervisor.State.Should().Be(EnvoyState.Live);
        PosixSignals.IsAlive(before.ProcessId!.Value).Should().BeTrue();
        harness.ReadCallLog().Should().Contain("1 SIGNAL SIGTERM", "the stuck new epoch was terminated");
    }

    [Test]
    public async Task HotRestart_NewEpochNacksItsConfig_RolledBack()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        var before = await harness.WaitReadyAsync();
        harness.Binary.Set("FAKE_ENVOY_NACK_PATTERN", "routes");

        var result = await harness.Supervisor.HotRestartAsync().DefaultTimeout(SupervisorHarness.ProcessTimeout);

        result.Outcome.Should().Be(HotRestartOutcome.ChildFailed);
        result.Error.Should().Contain("NACK");
        harness.Supervisor.Epoch.Should().Be(0);
        PosixSignals.IsAlive(before.ProcessId!.Value).Should().BeTrue();
    }

    [Test]
    public async Task HotRestart_BootstrapFailsValidation_NothingStartedAndAdminUntouched()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        await harness.WaitReadyAsync();
        harness.Binary.Set("FAKE_ENVOY_FAIL_VALIDATION", "1");

        var result = await harness.Supervisor.HotRestartAsync().DefaultTimeout(SupervisorHarness.ProcessTimeout);

        result.Outcome.Should().Be(HotRestartOutcome.ValidationFailed);
        harness.ReadCallLog().Should().NotContain(c => c.StartsWith("1 ", StringComparison.Ordinal), "no epoch 1 was started");
        (await harness.Admin.GetServerInfoAsync().DefaultTimeout()).RestartEpoch.Should().Be(0);
        harness.Supervisor.IsReady.Should().BeTrue();
    }

    [Test]
    public async Task HotRestart_WhenEnvoyIsNotLive_ReportsNotLive()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        harness.Binary.Set("FAKE_ENVOY_FAIL_VALIDATION", "1");
        await harness.StartAsync();
        await harness.WaitForStatusAsync(s => s.State == EnvoyState.Failed);

        var result = await harness.Supervisor.HotRestartAsync().DefaultTimeout(SupervisorHarness.ProcessTimeout);

        result.Outcome.Should().Be(HotRestartOutcome.NotLive);
        result.Error.Should().Contain("Failed");
    }
}
