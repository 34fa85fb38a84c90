using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>A route: Match, then ClusterId or Backends (cluster → weight), then policy.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileRoute
{
    public FileRouteMatch? Match { get; set; }

    public string? ClusterId { get; set; }

    public Dictionary<string, int>? Backends { get; set; }

    public TimeSpan? Timeout { get; set; }

    public FileRateLimit? RateLimit { get; set; }

    public FileRetry? Retry { get; set; }

    public bool WebSocket { get; set; }

    /// <summary>What a RingHash or Maglev cluster hashes for this route, tried in order.</summary>
    public List<FileHashPolicy?>? HashPolicy { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Honoured by the ALB for its own file; the API keeps an existing route's order.</summary>
    public int Order { get; set; }
}
