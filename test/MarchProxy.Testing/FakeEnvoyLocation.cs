using System.Reflection;

namespace MarchProxy.Testing;

/// <summary>Where the build put the fake Envoy (embedded into this assembly by FakeEnvoyReference.targets).</summary>
public static class FakeEnvoyLocation
{
    public static string DllPath { get; } = typeof(FakeEnvoyLocation).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FakeEnvoyPath").Value
        ?? throw new InvalidOperationException("FakeEnvoyPath is not embedded.");

    /// <summary>The dotnet host that runs the tests (so a child process uses the same runtime).</summary>
    public static string DotnetPath { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
