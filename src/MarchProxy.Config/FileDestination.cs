using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>"http://10.0.0.5:8080", "https://api.internal", "10.0.0.5:8080" or "[::1]:8080", with an optional weight.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileDestination
{
    public string? Address { get; set; }

    public int? Weight { get; set; }
}
