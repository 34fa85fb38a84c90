using System.Text.Json.Serialization;

namespace MarchProxy.Cli.Config;

/// <summary>The Proxy section: Listeners (the ALB's own business, not the API's), Routes and Clusters.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileProxySection
{
    /// <summary>Read so the file is valid, but not applied: the API has no listener calls.</summary>
    public Dictionary<string, System.Text.Json.JsonElement>? Listeners { get; set; }

    public Dictionary<string, FileRoute>? Routes { get; set; }

    public Dictionary<string, FileCluster>? Clusters { get; set; }
}
