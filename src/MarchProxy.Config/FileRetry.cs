using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>Envoy retry policy: conditions, count (default 1) and per-try timeout.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileRetry
{
    public string? RetryOn { get; set; }

    public int? NumRetries { get; set; }

    public TimeSpan? PerTryTimeout { get; set; }
}
