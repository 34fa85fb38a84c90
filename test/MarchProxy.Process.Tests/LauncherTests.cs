namespace MarchProxy.Process.Tests;

/// <summary>What the load harness asks of <see cref="AlbProcess"/>: output in a file, resident memory, CPU time, a graceful stop.</summary>
public sealed class LauncherTests
{
    private const string ListeningLine = "listening: API (gRPC)";

    [Test]
    public async Task StopAsync_OutputToAFile_ExitsZeroOnSigtermAndTheFileHoldsItsOutput()
    {
        await using var scenario = AlbScenario.ControlPlaneOnly();
        var log = scenario.Directory.Combine("alb.log");
        var alb = await scenario.StartAsync(outputFile: log);

        var rss = alb.ReadRssBytes();
        var cpu = alb.ReadCpuTime();
        var graceful = await alb.StopAsync(TimeSpan.FromSeconds(30));
        var exitCode = alb.ExitCode;
        await alb.DisposeAsync();

        rss.Should().BeGreaterThan(16L * 1024 * 1024, "VmRSS is read in kB and answered in bytes");
        cpu.Should().BeGreaterThan(TimeSpan.Zero, "starting the ALB takes CPU (JIT, configuration, Kestrel)");
        cpu.Should().BeLessThan(TimeSpan.FromHours(1), "the stat fields are clock ticks (1/100 s), not larger units");
        graceful.Should().BeTrue("the ALB exits on SIGTERM within the grace period");
        exitCode.Should().Be(0);
        (await File.ReadAllLinesAsync(log)).Should().Contain(l => l.Contains(ListeningLine, StringComparison.Ordinal));
        alb.Output.Should().Contain(l => l.Contains(ListeningLine, StringComparison.Ordinal), "the output is read back from the file");
        alb.OutputTail(100).Length.Should().Be(100);
        alb.Invoking(a => a.StandardError).Should().Throw<InvalidOperationException>("a file holds stdout and stderr as one stream");
    }
}
