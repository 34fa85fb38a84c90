using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>An upstream cluster with its Destinations (YARP's vocabulary).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneCluster
{
    public Dictionary<string, StandaloneDestination>? Destinations { get; set; }

    /// <summary>RoundRobin (default), LeastRequest, Random, RingHash or Maglev.</summary>
    public string? LoadBalancingPolicy { get; set; }

    public TimeSpan? ConnectTimeout { get; set; }

    public bool Http2 { get; set; }

    public StandaloneHealthCheck? HealthCheck { get; set; }

    public StandaloneOutlierDetection? OutlierDetection { get; set; }

    public StandaloneCircuitBreakers? CircuitBreakers { get; set; }

    /// <summary>TLS to the upstream. Implied (with no verification) by https:// destinations.</summary>
    public StandaloneUpstreamTls? Tls { get; set; }
}
