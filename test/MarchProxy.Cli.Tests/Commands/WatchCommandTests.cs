using MarchProxy.Api.V1;
using MarchProxy.Cli.Tests.Infrastructure;

namespace MarchProxy.Cli.Tests.Commands;

/// <summary>watch: the current state, live events, JSON Lines, and how it ends.</summary>
public sealed class WatchCommandTests : AlbHostFixture
{
    [Test]
    public async Task Watch_CurrentWithCount_PrintsTheVersionAndEnvoyStateThenEnds()
    {
        var result = await CliHarness.For(Host).RunAsync("watch", "--current", "--count", "2");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines[0].Should().Contain("config").And.Contain("version 1 (current)");
        lines[1].Should().Contain("envoy").And.Contain("absent");
    }

    [Test]
    public async Task Watch_Json_PrintsOneEventPerLineAsItHappens()
    {
        var output = new SyncWriter();

        var watch = CliHarness.For(Host).RunAsync(["watch", "--current", "--count", "3", "-o", "json"], null, CancellationToken.None, output);
        await output.WaitForAsync(text => text.Contains("absent", StringComparison.Ordinal));
        (await CliHarness.For(Host).RunAsync("cluster", "upsert", "web", "--endpoint", "10.0.0.5:80")).ExitCode.Should().Be(ExitCodes.Ok);
        var result = await watch;

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        var events = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ConfigEvent.Parser.ParseJson).ToList();
        events.Should().HaveCount(3);
        events[2].ConfigApplied.Should().Be(new ConfigApplied { Version = 2, Rpc = "UpsertCluster" });
    }

    [Test]
    public async Task Watch_Cancelled_EndsWithExitZero()
    {
        var output = new SyncWriter();
        using var cancellation = new CancellationTokenSource();

        var watch = CliHarness.For(Host).RunAsync(["watch", "--current"], null, cancellation.Token, output);
        await output.WaitForAsync(text => text.Contains("absent", StringComparison.Ordinal));
        await cancellation.CancelAsync();
        var result = await watch;

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
    }
}
