using System.Net;
using System.Net.Sockets;

namespace MarchProxy.Process.Tests;

/// <summary>The published ALB's command line and exit codes, and how it reports what stops it from starting.</summary>
public sealed class CommandLineTests
{
    [Test]
    public async Task Version_PrintsTheVersionAndExitsZero_BindsNothing()
    {
        await using var scenario = AlbScenario.ControlPlaneOnly();
        using var held = Hold(out var port);
        scenario.Environment["GRPC_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var alb = await scenario.RunToExitAsync("--version");

        (await alb.WaitForExitAsync()).Should().Be(0, "it prints and exits; binding the held port would fail with 2");
        alb.StandardOutput.Should().ContainSingle().Which.Should().MatchRegex(@"^\d+\.\d+\.\d+");
        alb.StandardError.Should().BeEmpty();
        Directory.Exists(scenario.DataDir).Should().BeFalse("nothing started, so nothing was persisted");
    }

    [Test]
    public async Task Help_PrintsUsageSettingsAndExitCodes_ExitsZero()
    {
        await using var scenario = AlbScenario.ControlPlaneOnly();

        var alb = await scenario.RunToExitAsync("--help");

        (await alb.WaitForExitAsync()).Should().Be(0);
        var help = string.Join('\n', alb.StandardOutput);
        help.Should().Contain("--version").And.Contain("SHUTDOWN_TIMEOUT").And.Contain("DRAIN_TIMEOUT").And.Contain("Exit codes");
        Directory.Exists(scenario.DataDir).Should().BeFalse();
    }

    [Test]
    public async Task BusyPort_ExitsTwoWithOneLineNamingTheSetting()
    {
        await using var scenario = AlbScenario.ControlPlaneOnly();
        using var held = Hold(out var port);
        scenario.Environment["GRPC_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var alb = await scenario.RunToExitAsync();

        (await alb.WaitForExitAsync()).Should().Be(2);
        alb.StandardError.Should().ContainSingle().Which.Should().Contain("GRPC_PORT").And.Contain($":{port}").And.Contain("already in use");
        alb.Output.Should().NotContain(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal), "no stack trace");
        Directory.Exists(scenario.DataDir).Should().BeFalse("a refused start persists nothing");
    }

    [Test]
    public async Task BadConfigFile_ExitsTwoWithOneLineTheJsonLineAndNoTypeNames()
    {
        await using var scenario = AlbScenario.ControlPlaneOnly();
        await File.WriteAllTextAsync(scenario.ConfigFile, """
            {
              "Proxy": {
                "Rotes": {}
              }
            }
            """);

        var alb = await scenario.RunToExitAsync();

        (await alb.WaitForExitAsync()).Should().Be(2);
        var line = alb.StandardError.Should().ContainSingle().Subject;
        line.Should().Contain("Proxy:Rotes").And.Contain("line 3").And.Contain("unknown setting 'Rotes'");
        line.Should().NotContain("MarchProxy.Alb.").And.NotContain(".NET").And.NotContain("/src/");
        alb.Output.Should().NotContain(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal), "no stack trace");
        alb.Output.Count(l => l.Contains("Rotes", StringComparison.Ordinal)).Should().Be(1, "the error is printed once");
    }

    [Test]
    public async Task EmptyStateFile_ExitsTwoWithOneLineNamingTheFileAndWhatIsMissing()
    {
        await using var scenario = AlbScenario.ControlPlaneOnly();
        Directory.CreateDirectory(scenario.DataDir);
        var state = Path.Combine(scenario.DataDir, "alb-state.json");
        await File.WriteAllTextAsync(state, "{}");

        var alb = await scenario.RunToExitAsync();

        (await alb.WaitForExitAsync()).Should().Be(2);
        alb.StandardError.Should().ContainSingle().Which.Should().Contain(state).And.Contain("missing required 'format', 'version', 'routes', 'clusters'");
        alb.Output.Should().NotContain(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal), "no stack trace");
        (await File.ReadAllTextAsync(state)).Should().Be("{}", "a refused start leaves the file as it was");
    }

    [Test]
    public async Task DrainTimeoutBeyondTheBudget_ExitsTwoWithOneLineNamingBothSettings()
    {
        await using var scenario = AlbScenario.Supervised();
        scenario.Environment["SHUTDOWN_TIMEOUT"] = "10s";
        scenario.Environment["DRAIN_TIMEOUT"] = "10s";

        var alb = await scenario.RunToExitAsync();

        (await alb.WaitForExitAsync()).Should().Be(2);
        alb.StandardError.Should().ContainSingle().Which.Should().Contain("DRAIN_TIMEOUT (Envoy:DrainTimeout) 10s").And.Contain("SHUTDOWN_TIMEOUT (Alb:ShutdownTimeout) 10s");
        scenario.ReadCallLog().Should().BeEmpty("no Envoy was started");
    }

    /// <summary>Holds a loopback port, as another program would.</summary>
    private static TcpListener Hold(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
