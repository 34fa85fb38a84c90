using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>Thresholds for the default priority; unset means no limit.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileCircuitBreakers
{
    public int? MaxConnections { get; set; }

    public int? MaxPendingRequests { get; set; }

    public int? MaxRequests { get; set; }

    public int? MaxRetries { get; set; }
}
