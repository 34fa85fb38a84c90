namespace MarchProxy.ControlPlane.Translation;

/// <summary>Well-known Envoy extension names used in translated resources.</summary>
internal static class XdsNames
{
    public const string HttpConnectionManager = "envoy.filters.network.http_connection_manager";
    public const string LocalRateLimitFilter = "envoy.filters.http.local_ratelimit";
    public const string RouterFilter = "envoy.filters.http.router";
    public const string StdoutAccessLog = "envoy.access_loggers.stdout";
    public const string TlsTransportSocket = "envoy.transport_sockets.tls";
    public const string HttpProtocolOptions = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
    public const string WebSocket = "websocket";

    /// <summary>The stat prefix of the listener-level (bucket-less) local rate-limit filter.</summary>
    public const string LocalRateLimitStatPrefix = "http_local_rate_limiter";
    public const string LocalRateLimitEnabledRuntimeKey = "local_rate_limit_enabled";
    public const string LocalRateLimitEnforcedRuntimeKey = "local_rate_limit_enforced";
}
