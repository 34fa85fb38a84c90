using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneUpstreamTls
{
    /// <summary>SNI to send; default none (or the destination's host name for https:// destinations).</summary>
    public string? Sni { get; set; }

    /// <summary>A PEM file of CAs to trust; unset means the upstream certificate is not verified.</summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>The CAs to trust inline (PEM), instead of <see cref="TrustedCaFile"/>.</summary>
    public string? TrustedCaPem { get; set; }
}
