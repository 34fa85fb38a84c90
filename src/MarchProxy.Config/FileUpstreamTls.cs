using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>TLS to the upstream: SNI and the CAs Envoy trusts (a file on the ALB's machine, or inline PEM).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileUpstreamTls
{
    public string? Sni { get; set; }

    public string? TrustedCaFile { get; set; }

    public string? TrustedCaPem { get; set; }
}
