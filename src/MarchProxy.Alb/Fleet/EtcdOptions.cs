namespace MarchProxy.Alb.Fleet;

/// <summary>
/// Where a fleet keeps its shared state (configuration section "Etcd"), used when STATE_STORE is etcd.
/// The ETCD_* environment variables map onto these keys.
/// </summary>
public sealed class EtcdOptions
{
    public const string SectionName = "Etcd";

    /// <summary>ETCD_ENDPOINTS: comma-separated client URLs (http:// or https://).</summary>
    public string Endpoints { get; set; } = "http://127.0.0.1:2379";

    /// <summary>ETCD_PREFIX: every key of this fleet starts with it.</summary>
    public string Prefix { get; set; } = "/marchproxy/";

    /// <summary>ETCD_USERNAME and ETCD_PASSWORD: etcd's own authentication, when enabled.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>ETCD_CA_FILE: the PEM CAs that sign etcd's server certificate (https endpoints).</summary>
    public string? CaFile { get; set; }

    /// <summary>ETCD_CERT_FILE and ETCD_KEY_FILE: this ALB's client certificate (PEM) for etcd's mutual TLS.</summary>
    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>The lease of this ALB's member key: it disappears that long after the ALB stops renewing it.</summary>
    public TimeSpan MemberTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one etcd request may take before the store counts as unreachable.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The endpoints as URIs (validated by <see cref="EtcdOptionsValidator"/>).</summary>
    public IReadOnlyList<Uri> EndpointUris() =>
        [.. Endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => new Uri(e))];

    /// <summary>The prefix with a trailing slash.</summary>
    public string NormalizedPrefix() => Prefix.EndsWith('/') ? Prefix : Prefix + "/";
}
