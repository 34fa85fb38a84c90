using System.Diagnostics;
using MarchProxy.Alb.Configuration;
using MarchProxy.Api.V1;

namespace MarchProxy.Client.Tests.Examples;

/// <summary>The programs under examples/: the C# one runs against a real ALB; the others are checked with the tools this machine has.</summary>
public sealed class ExampleProgramTests
{
    [Test]
    public async Task CSharpExample_AgainstARealAlb_ShiftsAllTrafficToGreen()
    {
        using var dir = new TempDirectory();
        await using var host = await AlbTestHost.StartAsync(dir);
        var dll = RepositoryRoot.Combine("examples", "csharp", "BlueGreen", "bin", RepositoryRoot.Configuration, "net10.0", "MarchProxy.Examples.BlueGreen.dll");

        var (exitCode, output) = await RunAsync(FakeEnvoyLocation.DotnetPath, dll, host.Address(EndpointRole.Api).ToString());

        exitCode.Should().Be(0, output);
        output.Should().Contain("refused as expected: weights[0].backend_name");
        var route = (await host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Single();
        route.Weights.Select(w => (w.BackendName, w.Weight)).Should().Equal(("shop-blue", 0), ("shop-green", 100));
    }

    [Test]
    public async Task PythonExample_Compiles()
    {
        var python = OnPath("python3") ?? IgnoreMissing("python3");
        using var dir = new TempDirectory();

        var (exitCode, output) = await RunAsync(python, "-c", $"import py_compile; py_compile.compile(r'{RepositoryRoot.Combine("examples", "python", "blue_green.py")}', cfile=r'{dir.Combine("out.pyc")}', doraise=True)");

        exitCode.Should().Be(0, output);
    }

    [Test]
    public async Task GoExample_ParsesAndIsGofmtClean()
    {
        var gofmt = OnPath("gofmt") ?? IgnoreMissing("gofmt");

        var (exitCode, output) = await RunAsync(gofmt, "-l", "-e", RepositoryRoot.Combine("examples", "go", "main.go"));

        exitCode.Should().Be(0, output);
        output.Should().BeEmpty("gofmt lists files it would change, and prints syntax errors");
    }

    private static string IgnoreMissing(string tool)
    {
        Assert.Ignore($"{tool} is not installed on this machine");
        return tool;
    }

    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("CLUSTER_API_KEY");
        start.Environment.Remove("MARCHPROXY_SERVER");
        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(30));
            return (process.ExitCode, await output + await error);
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
