using MarchProxy.Supervisor.Envoy;
using MarchProxy.Supervisor.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace MarchProxy.Supervisor.Tests;

/// <summary>
/// Crash restart with backoff and crash-loop detection. Envoy is the fake, a real process; the
/// supervisor's lifecycle clock is a <see cref="FakeTimeProvider"/>, so each backoff is stepped through
/// by advancing time (admin polling stays on the real clock).
/// </summary>
[TestFixture]
public sealed class CrashRestartTests
{
    [Test]
    public async Task Kill9_EnvoyRestartedAfterBackoff()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var harness = await SupervisorHarness.CreateAsync(lifecycle: time);
        await harness.StartAsync();
        var first = await harness.WaitReadyAsync();

        PosixSignals.Send(first.ProcessId!.Value, PosixSignals.SigKill).Should().BeTrue();
        var restarting = await harness.WaitForStatusAsync(s => s.State == EnvoyState.Restarting);

        restarting.NextRestartAt.Should().Be(time.GetUtcNow() + TimeSpan.FromSeconds(1), "the first backoff is 1 s");
        restarting.LastExitCode.Should().Be(137);
        restarting.ProcessId.Should().BeNull();
        harness.Supervisor.IsReady.Should().BeFalse();
        harness.Supervisor.RestartCount.Should().Be(0);

        time.Advance(TimeSpan.FromSeconds(1));
        var second = await harness.WaitForStatusAsync(s => s.State == EnvoyState.Live);

        second.ProcessId.Should().NotBe(first.ProcessId);
        second.RestartCount.Should().Be(1);
        harness.Supervisor.IsReady.Should().BeTrue();
        harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 2006).And.Contain(r => r.Id.Id == 2007);
    }

    [Test]
    public async Task CrashLoop_MoreThanFiveCrashesWithinAMinute_NotReadyUnhealthyThenRecovers()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var harness = await SupervisorHarness.CreateAsync(lifecycle: time);
        var crashFile = Path.Combine(harness.Root, "crash");
        await File.WriteAllTextAsync(crashFile, "crash on start");
        harness.Binary.Set("FAKE_ENVOY_CRASH_ON_START_FILE", crashFile);

        await harness.StartAsync();
        foreach (var backoff in new[] { 1, 2, 4, 8, 16 })
        {
            var due = await harness.WaitForStatusAsync(s => s.State == EnvoyState.Restarting && s.NextRestartAt == time.GetUtcNow().AddSeconds(backoff));
            due.LastExitCode.Should().Be(1);
            harness.Supervisor.IsHealthy.Should().BeTrue("five crashes are not a loop yet");
            time.Advance(TimeSpan.FromSeconds(backoff));
        }

        // The sixth crash, 31 s after the first: a crash loop, retried at the 30 s cap.
        var loop = await harness.WaitForStatusAsync(s => s.State == EnvoyState.CrashLoop && s.NextRestartAt == time.GetUtcNow().AddSeconds(30));
        loop.CrashLoopCount.Should().Be(1);
        loop.IsHealthy.Should().BeFalse();
        harness.Supervisor.IsReady.Should().BeFalse();
        harness.Supervisor.CrashLoopCount.Should().Be(1);
        harness.Logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 2008);

        File.Delete(crashFile);
        time.Advance(TimeSpan.FromSeconds(30));
        var recovered = await harness.WaitReadyAsync();

        recovered.IsHealthy.Should().BeTrue();
        recovered.RestartCount.Should().Be(6);
        recovered.CrashLoopCount.Should().Be(1);
        harness.Supervisor.IsReady.Should().BeTrue();
        harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 2009);
    }

    [Test]
    public async Task StableRun_ThenCrash_BackoffStartsAgainAtOneSecond()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var harness = await SupervisorHarness.CreateAsync(lifecycle: time);
        await harness.StartAsync();
        var first = await harness.WaitReadyAsync();
        PosixSignals.Send(first.ProcessId!.Value, PosixSignals.SigKill);
        await harness.WaitForStatusAsync(s => s.State == EnvoyState.Restarting);
        time.Advance(TimeSpan.FromSeconds(1));
        var second = await harness.WaitForStatusAsync(s => s.State == EnvoyState.Live);

        time.Advance(TimeSpan.FromSeconds(60));
        PosixSignals.Send(second.ProcessId!.Value, PosixSignals.SigKill);
        var restarting = await harness.WaitForStatusAsync(s => s.State == EnvoyState.Restarting);

        restarting.NextRestartAt.Should().Be(time.GetUtcNow().AddSeconds(1), "a run of 60 s resets the backoff (else it would be 2 s)");
    }
}
