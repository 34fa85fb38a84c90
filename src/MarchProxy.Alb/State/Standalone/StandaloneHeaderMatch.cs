using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>A request header that must have exactly this value.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneHeaderMatch
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}
