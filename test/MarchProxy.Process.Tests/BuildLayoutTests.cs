using System.Diagnostics;
using MarchProxy.Api.V1;

namespace MarchProxy.Process.Tests;

/// <summary>Runtime state stays out of builds, and the standalone config is the one an operator expects.</summary>
public sealed class BuildLayoutTests
{
    private static string HostProject => Path.Combine(PublishedAlb.RepositoryRoot, "src", "MarchProxy.Alb", "MarchProxy.Alb.csproj");

    [Test]
    public async Task HostProject_DataFolder_IsNoItemOfTheBuildOrThePublish()
    {
        var excludes = await GetPropertyAsync("DefaultItemExcludes");

        excludes.Split(';').Should().Contain("data/**", "a data/ folder left by an older `dotnet run` must not be copied to bin/ or a publish");
    }

    [Test]
    public async Task HostProject_DotnetRun_RunsFromTheRepositoryRoot()
    {
        var directory = await GetPropertyAsync("RunWorkingDirectory");

        Path.GetFullPath(directory).TrimEnd('/').Should().Be(PublishedAlb.RepositoryRoot.TrimEnd('/'),
            "`dotnet run` keeps DATA_DIR in the repository's ignored data/ and reads the repository's config/alb.json");
    }

    [Test]
    public async Task PublishedBuild_HoldsTheConfigButNoRuntimeState()
    {
        var dll = await PublishedAlb.EnsureAsync();
        var directory = Path.GetDirectoryName(dll)!;

        File.Exists(Path.Combine(directory, "config", "alb.json")).Should().BeTrue();
        Directory.Exists(Path.Combine(directory, "data")).Should().BeFalse();
        Directory.EnumerateFiles(directory, "alb-state.json", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Test]
    public async Task Start_ConfigFolderInTheWorkingDirectory_IsTheStandaloneConfig()
    {
        await using var scenario = AlbScenario.ControlPlaneOnly();
        scenario.Environment["ALB_CONFIG_FILE"] = null;
        Directory.CreateDirectory(scenario.Directory.Combine("config"));
        await File.WriteAllTextAsync(scenario.Directory.Combine("config/alb.json"), AlbScenario.Config);

        await scenario.StartAsync();

        var routes = await scenario.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        routes.Routes.Select(r => r.Name).Should().Equal(["web"], "config/alb.json of the working directory wins over the copy beside the binary");
    }

    private static async Task<string> GetPropertyAsync(string name)
    {
        var start = new ProcessStartInfo(FakeEnvoyLocation.DotnetPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "msbuild", HostProject, $"-getProperty:{name}", "-nologo" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        process.ExitCode.Should().Be(0, await error);
        return (await output).Trim();
    }
}
