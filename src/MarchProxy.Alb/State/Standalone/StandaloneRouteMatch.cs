using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>
/// At most one of Path (a prefix; YARP's "/api/{**catch-all}" is read as the prefix "/api/"),
/// ExactPath and Regex; none means the prefix "/".
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneRouteMatch
{
    public string? Path { get; set; }

    public string? ExactPath { get; set; }

    public string? Regex { get; set; }

    public List<string>? Hosts { get; set; }

    public List<StandaloneHeaderMatch>? Headers { get; set; }
}
