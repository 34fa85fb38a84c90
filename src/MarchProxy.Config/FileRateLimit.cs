using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>A local token bucket: the sustained rate and the burst (defaults to the rate).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileRateLimit
{
    public int RequestsPerSecond { get; set; }

    public int? Burst { get; set; }

    public bool Enabled { get; set; } = true;
}
