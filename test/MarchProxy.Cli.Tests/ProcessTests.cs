using System.Diagnostics;
using System.Text.Json;

namespace MarchProxy.Cli.Tests;

/// <summary>The built tool as a separate process, as an operator or a script runs it.</summary>
public sealed class ProcessTests : AlbHostFixture
{
    [Test]
    public async Task BuiltTool_StatusAsJson_ExitsZeroWithTheModule()
    {
        var (exitCode, output, error) = await RunAsync("status", "-o", "json", "--server", $"127.0.0.1:{Host.Port(MarchProxy.Alb.Configuration.EndpointRole.Api)}");

        exitCode.Should().Be(ExitCodes.Ok, error);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("module_type").GetString().Should().Be("ALB");
    }

    [Test]
    public async Task BuiltTool_UnknownRoute_ExitsNotFoundOnStderr()
    {
        var (exitCode, output, error) = await RunAsync("route", "delete", "nope", "--server", $"127.0.0.1:{Host.Port(MarchProxy.Alb.Configuration.EndpointRole.Api)}");

        exitCode.Should().Be(ExitCodes.NotFound, error);
        output.Should().BeEmpty();
        error.Should().Contain("NOT_FOUND");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        // The tool's own build output: its deps and runtimeconfig, not the test's (which has ASP.NET Core).
        var tool = RepositoryRoot.Combine("src", "MarchProxy.Cli", "bin", RepositoryRoot.Configuration, "net10.0", "MarchProxy.Cli.dll");
        File.Exists(tool).Should().BeTrue($"the tool is built at {tool}");
        var start = new ProcessStartInfo(FakeEnvoyLocation.DotnetPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The machine's MARCHPROXY_* settings must not steer the test.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MARCHPROXY_", StringComparison.Ordinal) || k is "CLUSTER_API_KEY" or "GRPC_PORT").ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(30));
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
