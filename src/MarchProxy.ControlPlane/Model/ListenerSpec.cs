namespace MarchProxy.ControlPlane.Model;

/// <summary>An HTTP listener that Envoy opens.</summary>
public sealed record ListenerSpec
{
    public required string Name { get; init; }

    /// <summary>The address to bind; an IP literal.</summary>
    public string Address { get; init; } = "0.0.0.0";

    public required int Port { get; init; }

    /// <summary>When set, the listener terminates TLS.</summary>
    public ListenerTlsSpec? Tls { get; init; }
}

/// <summary>The certificate and key a listener serves. Each is a file path or inline PEM.</summary>
public sealed record ListenerTlsSpec
{
    public required DataSpec CertificateChain { get; init; }

    public required DataSpec PrivateKey { get; init; }
}

/// <summary>Bytes that come either from a file Envoy reads, or inline.</summary>
public sealed record DataSpec
{
    public string? FilePath { get; init; }

    public string? Inline { get; init; }
}
