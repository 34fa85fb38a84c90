using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>The Proxy section: Listeners (the ALB's own business, not the API's), Routes and Clusters.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileProxySection
{
    public Dictionary<string, FileListener>? Listeners { get; set; }

    public Dictionary<string, FileRoute>? Routes { get; set; }

    public Dictionary<string, FileCluster>? Clusters { get; set; }
}
