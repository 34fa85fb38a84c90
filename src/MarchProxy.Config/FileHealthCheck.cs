using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>Active health checking; no Path means a TCP connect check.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileHealthCheck
{
    public string? Path { get; set; }

    public TimeSpan? Interval { get; set; }

    public TimeSpan? Timeout { get; set; }

    public int? HealthyThreshold { get; set; }

    public int? UnhealthyThreshold { get; set; }
}
