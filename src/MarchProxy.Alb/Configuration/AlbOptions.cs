namespace MarchProxy.Alb.Configuration;

/// <summary>
/// The host's own settings (configuration section "Alb"). The seed's environment variables
/// (GRPC_PORT, XDS_PORT, ...) are mapped onto these keys by the host's <c>LegacyEnvironmentMap</c>.
/// </summary>
public sealed class AlbOptions
{
    public const string SectionName = "Alb";

    /// <summary>MODULE_ID: the module identity, reported by GetStatus.</summary>
    public string ModuleId { get; set; } = "alb-1";

    /// <summary>GRPC_PORT: ModuleService, grpc.health.v1 and reflection (HTTP/2 only).</summary>
    public int GrpcPort { get; set; } = 50051;

    /// <summary>GRPC_BIND: the address the API listens on; all interfaces by default.</summary>
    public string GrpcBind { get; set; } = "0.0.0.0";

    /// <summary>API_TLS: serve the API over TLS with Kestrel's default certificate (Kestrel:Certificates:Default; API_TLS_CERT_FILE, API_TLS_KEY_FILE).</summary>
    public bool ApiTls { get; set; }

    /// <summary>API_TLS_CLIENT_CA_FILE: the PEM bundle that API client certificates must chain to.</summary>
    public string? ApiTlsClientCaFile { get; set; }

    /// <summary>API_TLS_CLIENT_CERTIFICATE: none (default), optional or required.</summary>
    public ClientCertificateMode ApiTlsClientCertificate { get; set; }

    /// <summary>XDS_TLS: serve ADS over TLS (plaintext by default, for the local Envoy on loopback).</summary>
    public bool XdsTls { get; set; }

    /// <summary>XDS_TLS_CERT_FILE: the ADS server certificate (PEM, leaf first; or PFX without a key file).</summary>
    public string? XdsTlsCertFile { get; set; }

    /// <summary>XDS_TLS_KEY_FILE: the PEM private key of <see cref="XdsTlsCertFile"/>.</summary>
    public string? XdsTlsKeyFile { get; set; }

    /// <summary>XDS_TLS_CLIENT_CA_FILE: the PEM bundle that Envoy and gRPC client certificates must chain to.</summary>
    public string? XdsTlsClientCaFile { get; set; }

    /// <summary>XDS_TLS_CLIENT_CERTIFICATE: none (default), optional or required.</summary>
    public ClientCertificateMode XdsTlsClientCertificate { get; set; }

    /// <summary>MAX_CONNECTIONS: open connections allowed on each of the API, health and metrics ports.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>XDS_MAX_CONNECTIONS: open connections allowed on the ADS port (one per Envoy or gRPC client).</summary>
    public int XdsMaxConnections { get; set; } = 10000;

    /// <summary>KEEPALIVE_TIMEOUT: a connection with no request in flight (or that never sends one) is closed after this.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>REQUEST_HEADERS_TIMEOUT: the time a client has to send a request's headers.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>HTTP2_PING_DELAY: an HTTP/2 connection (API, ADS) silent this long is sent a PING.</summary>
    public TimeSpan Http2PingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>HTTP2_PING_TIMEOUT: a PING not answered within this closes the connection (a half-open peer).</summary>
    public TimeSpan Http2PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>XDS_PORT: the ADS server (HTTP/2 only; plaintext unless <see cref="XdsTls"/>).</summary>
    public int XdsPort { get; set; } = 18000;

    /// <summary>XDS_BIND: the address the ADS server listens on.</summary>
    public string XdsBind { get; set; } = "127.0.0.1";

    /// <summary>HEALTH_PORT: /healthz and /readyz (HTTP/1.1).</summary>
    public int HealthPort { get; set; } = 8080;

    /// <summary>HEALTH_BIND: the address the health endpoint listens on.</summary>
    public string HealthBind { get; set; } = "0.0.0.0";

    /// <summary>METRICS_PORT: /metrics (HTTP/1.1); the telemetry component maps the endpoint.</summary>
    public int MetricsPort { get; set; } = 9090;

    /// <summary>METRICS_BIND: the address the metrics endpoint listens on.</summary>
    public string MetricsBind { get; set; } = "0.0.0.0";

    /// <summary>DATA_DIR: where the accepted desired state is persisted.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>
    /// STATE_STORE: "file" (default: the state in DATA_DIR, this ALB alone) or "etcd" (a fleet shares
    /// the state in etcd; see the Etcd section).
    /// </summary>
    public string StateStore { get; set; } = "file";

    /// <summary>
    /// ALB_CONFIG_FILE: the standalone config file. Empty means config/alb.json under the content root
    /// or beside the binary, when it exists.
    /// </summary>
    public string? ConfigFile { get; set; }

    /// <summary>CLUSTER_API_KEY: when set, ModuleService calls need "authorization: Bearer &lt;key&gt;".</summary>
    public string? ClusterApiKey { get; set; }

    /// <summary>How long a wait_for_ack call waits when the caller set no deadline.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SHUTDOWN_TIMEOUT: the whole shutdown budget, from SIGTERM to exit: Envoy's drain (DRAIN_TIMEOUT) and
    /// stop escalation, then closing the streams and the servers. It is also the host's shutdown timeout.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>LOG_FORMAT: "text" (default, single-line) or "json" (one JSON object per event).</summary>
    public string LogFormat { get; set; } = "text";
}
