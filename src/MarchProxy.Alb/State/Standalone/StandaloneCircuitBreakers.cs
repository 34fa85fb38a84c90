using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>Thresholds for the default priority; unset means Envoy's default.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneCircuitBreakers
{
    public int? MaxConnections { get; set; }

    public int? MaxPendingRequests { get; set; }

    public int? MaxRequests { get; set; }

    public int? MaxRetries { get; set; }
}
