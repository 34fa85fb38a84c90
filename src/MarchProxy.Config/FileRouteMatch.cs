using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>At most one of Path (a prefix; a trailing {**catch-all} is dropped), ExactPath and Regex; none means the prefix /.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileRouteMatch
{
    public string? Path { get; set; }

    public string? ExactPath { get; set; }

    public string? Regex { get; set; }

    public List<string>? Hosts { get; set; }

    public List<FileHeaderMatch>? Headers { get; set; }
}
