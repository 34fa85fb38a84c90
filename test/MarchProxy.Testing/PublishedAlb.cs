using System.Diagnostics;
using System.Reflection;

namespace MarchProxy.Testing;

/// <summary>
/// The published ALB (<c>dotnet publish</c> output) that whole-process tests start. It is taken from
/// MARCHPROXY_ALB_PUBLISH_DIR when set, else from artifacts/publish, which <c>dotnet cake --target=Test</c>
/// fills before the tests run. When that copy is missing or differs from the Release build (a test run
/// right after <c>dotnet build -c Release</c>), it is published again from the build, without building.
/// </summary>
public static class PublishedAlb
{
    public const string DirectoryVariable = "MARCHPROXY_ALB_PUBLISH_DIR";
    public const string DllName = "MarchProxy.Alb.dll";

    public static string RepositoryRoot { get; } = typeof(PublishedAlb).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value
        ?? throw new InvalidOperationException("RepositoryRoot is not embedded.");

    public static string DefaultDirectory => Path.Combine(RepositoryRoot, "artifacts", "publish");

    private static string Project => Path.Combine(RepositoryRoot, "src", "MarchProxy.Alb", "MarchProxy.Alb.csproj");

    private static string BuildDirectory => Path.Combine(RepositoryRoot, "src", "MarchProxy.Alb", "bin", "Release", "net10.0");

    /// <summary>The path of the published dll, publishing it first when needed; throws with what to run when it cannot.</summary>
    public static async Task<string> EnsureAsync()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } explicitDirectory)
        {
            var explicitDll = Path.Combine(explicitDirectory, DllName);
            return File.Exists(explicitDll)
                ? explicitDll
                : throw new InvalidOperationException($"{DirectoryVariable} is {explicitDirectory}, but it holds no {DllName}. Publish there with `dotnet publish src/MarchProxy.Alb -c Release -o {explicitDirectory}`.");
        }

        var dll = Path.Combine(DefaultDirectory, DllName);
        if (File.Exists(dll) && IsCurrent(DefaultDirectory))
        {
            return dll;
        }

        if (!File.Exists(Path.Combine(BuildDirectory, DllName)))
        {
            throw new InvalidOperationException(
                $"The whole-process tests run the published ALB, and there is none at {DefaultDirectory} and no Release build to publish from. "
                + "Run `dotnet tool restore && dotnet cake --target=Test`, or `dotnet build -c Release` then `dotnet cake --target=Publish`.");
        }

        await PublishAsync();
        return dll;
    }

    /// <summary>Every MarchProxy assembly and appsettings.json of the Release build is in the publish, byte for byte.</summary>
    private static bool IsCurrent(string directory)
    {
        if (!Directory.Exists(BuildDirectory))
        {
            return true;
        }

        var files = Directory.EnumerateFiles(BuildDirectory, "MarchProxy.*.dll").Append(Path.Combine(BuildDirectory, "appsettings.json"));
        foreach (var built in files)
        {
            var published = Path.Combine(directory, Path.GetFileName(built));
            if (!File.Exists(published) || !File.ReadAllBytes(built).AsSpan().SequenceEqual(File.ReadAllBytes(published)))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task PublishAsync()
    {
        var start = new ProcessStartInfo(FakeEnvoyLocation.DotnetPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "publish", Project, "-c", "Release", "--no-build", "-o", DefaultDirectory })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`dotnet publish {Project} -c Release --no-build -o {DefaultDirectory}` failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
