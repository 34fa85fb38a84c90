using System.Text.Json.Serialization;

namespace MarchProxy.Cli.Config;

/// <summary>TLS to the upstream: SNI and the CAs Envoy trusts (a file on the ALB's machine).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileUpstreamTls
{
    public string? Sni { get; set; }

    public string? TrustedCaFile { get; set; }
}
