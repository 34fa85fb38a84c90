using System.Diagnostics;
using System.Reflection;

namespace MarchProxy.Alb.Configuration;

/// <summary>
/// Facts about this process: when it started (as the operating system recorded it, so uptime counts
/// from the process start, not from the first request) and its version. Uptime is measured on the
/// injected clock.
/// </summary>
public sealed class HostInfo
{
    public const string ModuleType = "ALB";

    private readonly TimeProvider _timeProvider;

    public HostInfo(TimeProvider timeProvider)
        : this(timeProvider, ProcessStartedAt())
    {
    }

    public HostInfo(TimeProvider timeProvider, DateTimeOffset startedAt)
    {
        _timeProvider = timeProvider;
        StartedAt = startedAt;
    }

    public DateTimeOffset StartedAt { get; }

    public string Version { get; } =
        typeof(HostInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HostInfo).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    public TimeSpan Uptime
    {
        get
        {
            var uptime = _timeProvider.GetUtcNow() - StartedAt;
            return uptime > TimeSpan.Zero ? uptime : TimeSpan.Zero;
        }
    }

    private static DateTimeOffset ProcessStartedAt()
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime).ToUniversalTime();
    }
}
