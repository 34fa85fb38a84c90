using System.Reflection;

namespace MarchProxy.Alb.Hosting;

/// <summary>Facts about this process: when it started (on the injected clock) and its version.</summary>
public sealed class HostInfo(TimeProvider timeProvider)
{
    public const string ModuleType = "ALB";

    public DateTimeOffset StartedAt { get; } = timeProvider.GetUtcNow();

    public string Version { get; } =
        typeof(HostInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HostInfo).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    public TimeSpan Uptime => timeProvider.GetUtcNow() - StartedAt;
}
