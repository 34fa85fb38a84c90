using System.Text.Json;
using MarchProxy.Alb.Hosting;
using MarchProxy.Config;

namespace MarchProxy.Deploy.Tests.Infrastructure;

/// <summary>What the ALB actually accepts: its environment variables, its default ports and shutdown budget.</summary>
public static class ProjectFacts
{
    public static string Deploy(params string[] parts) => RepositoryRoot.Combine(["deploy", .. parts]);

    /// <summary>The ALB's own variables, as it maps them (LegacyEnvironmentMap).</summary>
    public static IReadOnlySet<string> AlbVariables { get; } = LegacyEnvironmentMap.Mappings.Select(m => m.Variable).ToHashSet(StringComparer.Ordinal);

    public static bool IsKnownVariable(string name) =>
        AlbVariables.Contains(name)
        || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
        || name.StartsWith("DOTNET_", StringComparison.Ordinal)
        || name.Contains("__", StringComparison.Ordinal) && AlbSections.Contains(name[..name.IndexOf("__", StringComparison.Ordinal)]);

    /// <summary>appsettings.json as shipped (the defaults every deployment starts from).</summary>
    public static JsonElement AppSettings { get; } = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("src", "MarchProxy.Alb", "appsettings.json"))).RootElement;

    public static int DefaultPort(string section, string key) => AppSettings.GetProperty(section).GetProperty(key).GetInt32();

    public static TimeSpan DefaultShutdownTimeout =>
        TimeSpan.Parse(AppSettings.GetProperty("Alb").GetProperty("ShutdownTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The shutdown budget a deployment sets (SHUTDOWN_TIMEOUT), or the shipped default.</summary>
    public static TimeSpan ShutdownTimeout(string? value)
    {
        if (value is null)
        {
            return DefaultShutdownTimeout;
        }

        DurationParser.TryParse(value, out var parsed).Should().BeTrue($"SHUTDOWN_TIMEOUT '{value}' is a duration the ALB reads");
        return parsed;
    }

    /// <summary>The margin by which a stop grace period must exceed SHUTDOWN_TIMEOUT.</summary>
    public static TimeSpan StopMargin { get; } = TimeSpan.FromSeconds(5);

    private static readonly HashSet<string> AlbSections = new(StringComparer.Ordinal) { "Alb", "Envoy", "Translation", "Telemetry", "Kestrel", "Logging" };
}
