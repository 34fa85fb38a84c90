using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneProxyConfig
{
    public Dictionary<string, StandaloneListener>? Listeners { get; set; }

    public Dictionary<string, StandaloneRoute>? Routes { get; set; }

    public Dictionary<string, StandaloneCluster>? Clusters { get; set; }
}
