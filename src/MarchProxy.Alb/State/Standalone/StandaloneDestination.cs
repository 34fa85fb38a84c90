using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>"http://10.0.0.5:8080", "https://api.internal", "10.0.0.5:8080" or "[::1]:8080".</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneDestination
{
    public string? Address { get; set; }

    /// <summary>1-128; default 1.</summary>
    public int? Weight { get; set; }
}
