using MarchProxy.Supervisor.Envoy;

namespace MarchProxy.Supervisor.Tests.Envoy;

[TestFixture]
public sealed class EnvoyCommandLineTests
{
    [Test]
    public void Serve_Options_FlagsForEpochBaseIdDrainAndLogLevel()
    {
        var options = new EnvoyOptions { DrainTime = TimeSpan.FromSeconds(20), ParentShutdownTime = TimeSpan.FromSeconds(30.5), LogLevel = "warning", Concurrency = 4, ExtraArgs = ["--component-log-level", "upstream:debug"] };

        var args = EnvoyCommandLine.Serve(options, "/data/envoy-bootstrap.json", epoch: 3, baseId: 77);

        args.Should().Equal(
            "-c", "/data/envoy-bootstrap.json", "--restart-epoch", "3", "--base-id", "77", "--drain-time-s", "20",
            "--parent-shutdown-time-s", "31", "--log-level", "warning", "--concurrency", "4", "--component-log-level", "upstream:debug");
        args.Should().NotContain("--use-dynamic-base-id");
    }

    [Test]
    public void Serve_NoConcurrency_LeavesEnvoysDefault()
    {
        EnvoyCommandLine.Serve(new EnvoyOptions(), "/b.json", 0, 1).Should().NotContain("--concurrency");
    }

    [Test]
    public void BaseId_NotConfigured_IsTheAdminPortSoEveryEpochSharesIt()
    {
        EnvoyCommandLine.BaseId(new EnvoyOptions { AdminPort = 9911 }).Should().Be(9911);
        EnvoyCommandLine.BaseId(new EnvoyOptions { AdminPort = 9911, BaseId = 5 }).Should().Be(5);
    }

    [Test]
    public void Validate_Path_ModeValidate()
    {
        EnvoyCommandLine.Validate("/b.json").Should().Equal("--mode", "validate", "-c", "/b.json");
    }
}
