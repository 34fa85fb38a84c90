using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>A route: Match, then ClusterId or Backends (cluster → weight), then policy.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneRoute
{
    public StandaloneRouteMatch? Match { get; set; }

    public string? ClusterId { get; set; }

    public Dictionary<string, int>? Backends { get; set; }

    public TimeSpan? Timeout { get; set; }

    public StandaloneRateLimit? RateLimit { get; set; }

    public StandaloneRetry? Retry { get; set; }

    public bool WebSocket { get; set; }

    public bool Enabled { get; set; } = true;

    public int Order { get; set; }

    /// <summary>Consistent-hashing keys for RingHash and Maglev clusters, tried in order.</summary>
    public List<StandaloneHashPolicy>? HashPolicy { get; set; }
}
