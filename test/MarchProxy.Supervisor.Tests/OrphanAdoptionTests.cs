using MarchProxy.Supervisor.Envoy;
using MarchProxy.Supervisor.Tests.Infrastructure;

namespace MarchProxy.Supervisor.Tests;

/// <summary>
/// The supervisor was SIGKILLed and left Envoy running. The next supervisor finds it on the admin port
/// and adopts it by a hot restart into a child of its own, which drains and terminates the orphan.
/// </summary>
[TestFixture]
public sealed class OrphanAdoptionTests
{
    [Test]
    public async Task Start_EnvoyAlreadyAnswersOnAdminPort_AdoptedByHotRestartIntoNextEpoch()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        var bootstrap = BootstrapWriter.Write(harness.Options);
        var baseId = EnvoyCommandLine.BaseId(harness.Options);
        using var orphan = FakeEnvoyRun.Start(harness.Binary.ScriptPath, EnvoyCommandLine.Serve(harness.Options, bootstrap, 0, baseId));
        PidFile.Write(harness.Options.DataDir, new PidRecord(orphan.Process.Id, 0, baseId));
        await orphan.Live.DefaultTimeout();

        await harness.StartAsync();
        var adopted = await harness.WaitForStatusAsync(s => s.State == EnvoyState.Live && s.Epoch == 1);

        adopted.ProcessId.Should().NotBe(orphan.Process.Id);
        adopted.BaseId.Should().Be(baseId);
        await orphan.Process.WaitForExitAsync().DefaultTimeout();
        orphan.Process.ExitCode.Should().Be(0, "the new epoch terminated it after draining, it was not killed");
        harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 2040);
        await harness.Ads.WaitForAsync(a => a.HasAcceptedInitialConfig);
        harness.Supervisor.IsReady.Should().BeTrue();
        PidFile.Read(harness.Options.DataDir)!.Epoch.Should().Be(1);
    }
}
