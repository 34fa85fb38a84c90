namespace MarchProxy.Client;

/// <summary>How to reach and authenticate to a MarchProxy ALB's ModuleService.</summary>
public sealed class MarchProxyClientOptions
{
    /// <summary>The API address (GRPC_PORT): http:// for h2c, https:// for TLS. Default http://localhost:50051.</summary>
    public Uri Address { get; set; } = new("http://localhost:50051");

    /// <summary>The ALB's CLUSTER_API_KEY; sent as "authorization: Bearer &lt;key&gt;" on every call when set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A PEM file with the CA certificates that sign the API's certificate (https only).</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>Accept any server certificate (https only). For testing; it defeats TLS's authentication.</summary>
    public bool SkipCertificateVerification { get; set; }

    /// <summary>How many times a unary call that failed with UNAVAILABLE is retried (0 turns retries off).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The deadline of each call that does not wait for ACKs; null means none.</summary>
    public TimeSpan? Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a call with wait_for_ack may wait for every xDS node's ACK (the call's deadline).</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock for deadlines and retry delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Replaces the HTTP handler (its TLS settings then win over the TLS options above).</summary>
    public HttpMessageHandler? HttpHandler { get; set; }
}
