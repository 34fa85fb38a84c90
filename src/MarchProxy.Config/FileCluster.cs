using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>An upstream cluster with its Destinations.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileCluster
{
    public Dictionary<string, FileDestination>? Destinations { get; set; }

    public string? LoadBalancingPolicy { get; set; }

    public TimeSpan? ConnectTimeout { get; set; }

    public bool Http2 { get; set; }

    public FileHealthCheck? HealthCheck { get; set; }

    public FileOutlierDetection? OutlierDetection { get; set; }

    public FileCircuitBreakers? CircuitBreakers { get; set; }

    public FileUpstreamTls? Tls { get; set; }
}
