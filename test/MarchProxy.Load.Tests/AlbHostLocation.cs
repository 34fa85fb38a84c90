using System.Reflection;

namespace MarchProxy.Load.Tests;

/// <summary>The folder of the built ALB host (embedded by the project file), or MARCHPROXY_LOAD_HOST when set (e.g. a publish folder).</summary>
internal static class AlbHostLocation
{
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable("MARCHPROXY_LOAD_HOST") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.GetDirectoryName(typeof(AlbHostLocation).Assembly
                .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AlbHostPath").Value)
              ?? throw new InvalidOperationException("AlbHostPath is not embedded.");
}
