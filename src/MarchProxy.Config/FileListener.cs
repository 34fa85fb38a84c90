using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>An Envoy listener. Port defaults to ENVOY_LISTEN_PORT, Address to 0.0.0.0.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileListener
{
    public string? Address { get; set; }

    public int? Port { get; set; }

    public FileListenerTls? Tls { get; set; }
}
