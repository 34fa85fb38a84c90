using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Fleet;
using MarchProxy.ControlPlane.Server;
using MarchProxy.ControlPlane.Translation;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// The seed's environment variables and the configuration keys each one sets. Later rows win over
/// earlier ones for the same key (XDS_NODE_ID over MODULE_ID for Envoy:NodeId).
/// </summary>
public static class LegacyEnvironmentMap
{
    private const string Alb = AlbOptions.SectionName;
    private const string Envoy = EnvoyOptions.SectionName;
    private const string Translation = TranslationOptions.SectionName;
    private const string Etcd = EtcdOptions.SectionName;
    private const string StreamMemory = StreamMemoryOptions.SectionName;

    public static IReadOnlyList<EnvironmentVariableMapping> Mappings { get; } =
    [
        Map("MODULE_ID", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.ModuleId)}", $"{Envoy}:{nameof(EnvoyOptions.NodeId)}"),
        Map("GRPC_PORT", EnvironmentVariableKind.Port, $"{Alb}:{nameof(AlbOptions.GrpcPort)}"),
        Map("GRPC_BIND", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.GrpcBind)}"),
        Map("XDS_PORT", EnvironmentVariableKind.Port, $"{Alb}:{nameof(AlbOptions.XdsPort)}", $"{Envoy}:{nameof(EnvoyOptions.XdsPort)}"),
        Map("XDS_BIND", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.XdsBind)}"),
        Map("XDS_BIND", EnvironmentVariableKind.ConnectAddress, $"{Envoy}:{nameof(EnvoyOptions.XdsAddress)}"),
        Map("HEALTH_PORT", EnvironmentVariableKind.Port, $"{Alb}:{nameof(AlbOptions.HealthPort)}"),
        Map("HEALTH_BIND", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.HealthBind)}"),
        Map("METRICS_PORT", EnvironmentVariableKind.Port, $"{Alb}:{nameof(AlbOptions.MetricsPort)}"),
        Map("METRICS_BIND", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.MetricsBind)}"),
        Map("DATA_DIR", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.DataDir)}", $"{Envoy}:{nameof(EnvoyOptions.DataDir)}"),
        Map("ALB_CONFIG_FILE", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.ConfigFile)}"),
        Choice("STATE_STORE", ["etcd", "file"], $"{Alb}:{nameof(AlbOptions.StateStore)}"),
        Map("ETCD_ENDPOINTS", EnvironmentVariableKind.Text, $"{Etcd}:{nameof(EtcdOptions.Endpoints)}"),
        Map("ETCD_PREFIX", EnvironmentVariableKind.Text, $"{Etcd}:{nameof(EtcdOptions.Prefix)}"),
        Map("ETCD_USERNAME", EnvironmentVariableKind.Text, $"{Etcd}:{nameof(EtcdOptions.Username)}"),
        Map("ETCD_PASSWORD", EnvironmentVariableKind.Text, $"{Etcd}:{nameof(EtcdOptions.Password)}"),
        Map("ETCD_CA_FILE", EnvironmentVariableKind.Text, $"{Etcd}:{nameof(EtcdOptions.CaFile)}"),
        Map("ETCD_CERT_FILE", EnvironmentVariableKind.Text, $"{Etcd}:{nameof(EtcdOptions.CertFile)}"),
        Map("ETCD_KEY_FILE", EnvironmentVariableKind.Text, $"{Etcd}:{nameof(EtcdOptions.KeyFile)}"),
        Map("CLUSTER_API_KEY", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.ClusterApiKey)}"),
        Map("API_TLS", EnvironmentVariableKind.Boolean, $"{Alb}:{nameof(AlbOptions.ApiTls)}"),
        Map("API_TLS_CERT_FILE", EnvironmentVariableKind.Text, $"{ApiCertificateLoader.SectionName}:Path"),
        Map("API_TLS_KEY_FILE", EnvironmentVariableKind.Text, $"{ApiCertificateLoader.SectionName}:KeyPath"),
        Map("API_TLS_CLIENT_CA_FILE", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.ApiTlsClientCaFile)}"),
        Choice("API_TLS_CLIENT_CERTIFICATE", ["none", "optional", "required"], $"{Alb}:{nameof(AlbOptions.ApiTlsClientCertificate)}"),
        Map("XDS_TLS", EnvironmentVariableKind.Boolean, $"{Alb}:{nameof(AlbOptions.XdsTls)}", $"{Envoy}:{nameof(EnvoyOptions.XdsTls)}"),
        Map("XDS_TLS_CERT_FILE", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.XdsTlsCertFile)}"),
        Map("XDS_TLS_KEY_FILE", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.XdsTlsKeyFile)}"),
        Map("XDS_TLS_CLIENT_CA_FILE", EnvironmentVariableKind.Text, $"{Alb}:{nameof(AlbOptions.XdsTlsClientCaFile)}"),
        Choice("XDS_TLS_CLIENT_CERTIFICATE", ["none", "optional", "required"], $"{Alb}:{nameof(AlbOptions.XdsTlsClientCertificate)}"),
        Map("ENVOY_XDS_CA_FILE", EnvironmentVariableKind.Text, $"{Envoy}:{nameof(EnvoyOptions.XdsTlsCaFile)}"),
        Map("ENVOY_XDS_CERT_FILE", EnvironmentVariableKind.Text, $"{Envoy}:{nameof(EnvoyOptions.XdsTlsCertFile)}"),
        Map("ENVOY_XDS_KEY_FILE", EnvironmentVariableKind.Text, $"{Envoy}:{nameof(EnvoyOptions.XdsTlsKeyFile)}"),
        Map("ENVOY_XDS_SERVER_NAME", EnvironmentVariableKind.Text, $"{Envoy}:{nameof(EnvoyOptions.XdsTlsServerName)}"),
        Map("MAX_CONNECTIONS", EnvironmentVariableKind.Number, $"{Alb}:{nameof(AlbOptions.MaxConnections)}"),
        Map("XDS_MAX_CONNECTIONS", EnvironmentVariableKind.Number, $"{Alb}:{nameof(AlbOptions.XdsMaxConnections)}"),
        Map("KEEPALIVE_TIMEOUT", EnvironmentVariableKind.Duration, $"{Alb}:{nameof(AlbOptions.KeepAliveTimeout)}"),
        Map("REQUEST_HEADERS_TIMEOUT", EnvironmentVariableKind.Duration, $"{Alb}:{nameof(AlbOptions.RequestHeadersTimeout)}"),
        Map("XDS_MEMORY_TRIM_STREAMS", EnvironmentVariableKind.Number, $"{StreamMemory}:{nameof(StreamMemoryOptions.TrimAfterStreamChange)}"),
        Map("HTTP2_PING_DELAY", EnvironmentVariableKind.Duration, $"{Alb}:{nameof(AlbOptions.Http2PingDelay)}"),
        Map("HTTP2_PING_TIMEOUT", EnvironmentVariableKind.Duration, $"{Alb}:{nameof(AlbOptions.Http2PingTimeout)}"),
        Map("SHUTDOWN_TIMEOUT", EnvironmentVariableKind.Duration, $"{Alb}:{nameof(AlbOptions.ShutdownTimeout)}"),
        Map("DRAIN_TIMEOUT", EnvironmentVariableKind.Duration, $"{Envoy}:{nameof(EnvoyOptions.DrainTimeout)}"),
        Map("ENVOY_START_TIMEOUT", EnvironmentVariableKind.Duration, $"{Envoy}:{nameof(EnvoyOptions.StartTimeout)}"),
        Map("RELOAD_GRACE_PERIOD", EnvironmentVariableKind.Duration, $"{Envoy}:{nameof(EnvoyOptions.ReloadGracePeriod)}"),
        Choice("LOG_FORMAT", ["json", "text"], $"{Alb}:{nameof(AlbOptions.LogFormat)}"),
        Map("ENVOY_ENABLED", EnvironmentVariableKind.Boolean, $"{Envoy}:{nameof(EnvoyOptions.Enabled)}"),
        Map("ENVOY_BINARY", EnvironmentVariableKind.Text, $"{Envoy}:{nameof(EnvoyOptions.BinaryPath)}"),
        Map("ENVOY_ADMIN_PORT", EnvironmentVariableKind.Port, $"{Envoy}:{nameof(EnvoyOptions.AdminPort)}"),
        Map("ENVOY_LISTEN_PORT", EnvironmentVariableKind.Port, $"{Envoy}:{nameof(EnvoyOptions.ListenPort)}", $"{Translation}:{nameof(TranslationOptions.DefaultListenerPort)}"),
        Map("ENVOY_LOG_LEVEL", EnvironmentVariableKind.Text, $"{Envoy}:{nameof(EnvoyOptions.LogLevel)}"),
        Map("ENVOY_CONCURRENCY", EnvironmentVariableKind.Number, $"{Envoy}:{nameof(EnvoyOptions.Concurrency)}"),
        Choice("XDS_MODE", ["delta", "sotw"], $"{Envoy}:{nameof(EnvoyOptions.XdsMode)}"),
        Map("XDS_NODE_ID", EnvironmentVariableKind.Text, $"{Envoy}:{nameof(EnvoyOptions.NodeId)}"),
        Map("XDS_CLUSTER", EnvironmentVariableKind.Text, $"{Envoy}:{nameof(EnvoyOptions.NodeCluster)}"),
    ];

    private static EnvironmentVariableMapping Map(string variable, EnvironmentVariableKind kind, params string[] keys) =>
        new(variable, kind, keys);

    private static EnvironmentVariableMapping Choice(string variable, string[] allowed, params string[] keys) =>
        new(variable, EnvironmentVariableKind.Choice, keys, allowed);
}
