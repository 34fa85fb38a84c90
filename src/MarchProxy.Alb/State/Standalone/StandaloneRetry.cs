using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneRetry
{
    /// <summary>Envoy's retry_on conditions, comma separated; default "5xx,connect-failure,reset".</summary>
    public string? RetryOn { get; set; }

    public int? NumRetries { get; set; }

    public TimeSpan? PerTryTimeout { get; set; }
}
