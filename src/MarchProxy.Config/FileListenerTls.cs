using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>PEM files that Envoy reads to terminate TLS on a listener.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileListenerTls
{
    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>The certificate chain inline (PEM), instead of <see cref="CertificateFile"/>.</summary>
    public string? CertificatePem { get; set; }

    /// <summary>The private key inline (PEM), instead of <see cref="KeyFile"/>.</summary>
    public string? KeyPem { get; set; }
}
