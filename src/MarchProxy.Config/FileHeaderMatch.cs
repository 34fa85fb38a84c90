using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>A request header that must have exactly this value.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileHeaderMatch
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}
