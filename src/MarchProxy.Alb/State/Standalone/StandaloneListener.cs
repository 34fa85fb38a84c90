using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>An Envoy listener. Port defaults to ENVOY_LISTEN_PORT, Address to 0.0.0.0.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneListener
{
    public string? Address { get; set; }

    public int? Port { get; set; }

    public StandaloneListenerTls? Tls { get; set; }
}
