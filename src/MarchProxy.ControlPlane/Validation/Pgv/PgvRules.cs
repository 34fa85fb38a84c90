using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace MarchProxy.ControlPlane.Validation.Pgv;

/// <summary>
/// The <c>(validate.rules)</c> annotations of Envoy's canonical protos for the messages the translators
/// emit, typed in by hand from those protos. CI compares this table with the canonical annotations
/// (test/interop/pgv-walk.test.js), so a missing or mistyped rule fails the build.
/// </summary>
internal static class PgvRules
{
    private const string Core = "envoy.config.core.v3.";
    private const string ClusterNs = "envoy.config.cluster.v3.";
    private const string EndpointNs = "envoy.config.endpoint.v3.";
    private const string ListenerNs = "envoy.config.listener.v3.";
    private const string RouteNs = "envoy.config.route.v3.";
    private const string Hcm = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    private const string HcmNs = "envoy.extensions.filters.network.http_connection_manager.v3.";
    private const string Tls = "envoy.extensions.transport_sockets.tls.v3.";
    private const string LocalRateLimitNs = "envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit.";
    private const long Millisecond = 1_000_000;

    private static readonly FieldRule MinLen1 = new() { String = new StringRule(MinLen: 1) };
    private static readonly FieldRule Defined = new() { Enum = new EnumRule(true) };
    private static readonly FieldRule Required = new() { MessageRequired = true };
    private static readonly FieldRule Positive = new() { Duration = new DurationRule(GtNanos: 0) };
    private static readonly FieldRule RequiredPositive = new() { Duration = new DurationRule(Required: true, GtNanos: 0) };
    private static readonly FieldRule Percent = new() { UInt32 = new NumberRule(Lte: 100) };
    private static readonly FieldRule AtLeastOne = new() { UInt32 = new NumberRule(Gte: 1) };
    private static readonly FieldRule MaxThousandHeaders = new() { Repeated = new RepeatedRule(MaxItems: 1000) };
    private static readonly FieldRule LooseHeaderValue = new() { String = new StringRule(WellKnown: KnownRegex.HttpHeaderValue, Strict: false) };
    private static readonly FieldRule LooseHeaderName = new() { String = new StringRule(WellKnown: KnownRegex.HttpHeaderName, Strict: false) };
    private static readonly FieldRule HeaderNamesToRemove = new() { Repeated = new RepeatedRule(Items: LooseHeaderName) };
    private static readonly FieldRule NonEmptyHeaderNamesToRemove =
        new() { Repeated = new RepeatedRule(Items: new FieldRule { String = new StringRule(MinLen: 1, WellKnown: KnownRegex.HttpHeaderName, Strict: false) }) };

    /// <summary>Rules by full field name (package.Message.field).</summary>
    public static FrozenDictionary<string, FieldRule> Fields { get; } = new Dictionary<string, FieldRule>(StringComparer.Ordinal)
    {
        // Clusters and endpoints.
        [ClusterNs + "Cluster.name"] = MinLen1,
        [ClusterNs + "Cluster.type"] = Defined,
        [ClusterNs + "Cluster.connect_timeout"] = Positive,
        [ClusterNs + "Cluster.lb_policy"] = Defined,
        [ClusterNs + "Cluster.dns_refresh_rate"] = new() { Duration = new DurationRule(GtNanos: Millisecond) },
        [ClusterNs + "Cluster.dns_lookup_family"] = Defined,
        [ClusterNs + "Cluster.cleanup_interval"] = Positive,
        [ClusterNs + "CircuitBreakers.Thresholds.priority"] = Defined,
        [ClusterNs + "OutlierDetection.interval"] = Positive,
        [ClusterNs + "OutlierDetection.base_ejection_time"] = Positive,
        [ClusterNs + "OutlierDetection.max_ejection_percent"] = Percent,
        [ClusterNs + "OutlierDetection.enforcing_consecutive_5xx"] = Percent,
        [ClusterNs + "OutlierDetection.enforcing_success_rate"] = Percent,
        [ClusterNs + "OutlierDetection.enforcing_consecutive_gateway_failure"] = Percent,
        [ClusterNs + "OutlierDetection.enforcing_consecutive_local_origin_failure"] = Percent,
        [ClusterNs + "OutlierDetection.enforcing_local_origin_success_rate"] = Percent,
        [ClusterNs + "OutlierDetection.failure_percentage_threshold"] = Percent,
        [ClusterNs + "OutlierDetection.enforcing_failure_percentage"] = Percent,
        [ClusterNs + "OutlierDetection.enforcing_failure_percentage_local_origin"] = Percent,
        [ClusterNs + "OutlierDetection.max_ejection_time"] = Positive,
        [EndpointNs + "ClusterLoadAssignment.cluster_name"] = MinLen1,
        [EndpointNs + "LocalityLbEndpoints.load_balancing_weight"] = AtLeastOne,
        [EndpointNs + "LocalityLbEndpoints.priority"] = new() { UInt32 = new NumberRule(Lte: 128) },
        [EndpointNs + "LbEndpoint.load_balancing_weight"] = AtLeastOne,

        // Core.
        [Core + "SocketAddress.protocol"] = Defined,
        [Core + "SocketAddress.address"] = MinLen1,
        [Core + "SocketAddress.port_value"] = new() { UInt32 = new NumberRule(Lte: 65535) },
        [Core + "ConfigSource.resource_api_version"] = Defined,
        [Core + "TransportSocket.name"] = MinLen1,
        [Core + "DataSource.filename"] = MinLen1,
        [Core + "DataSource.environment_variable"] = MinLen1,
        [Core + "RuntimeFractionalPercent.default_value"] = Required,
        [Core + "HealthCheck.timeout"] = RequiredPositive,
        [Core + "HealthCheck.interval"] = RequiredPositive,
        [Core + "HealthCheck.unhealthy_threshold"] = Required,
        [Core + "HealthCheck.healthy_threshold"] = Required,
        [Core + "HealthCheck.no_traffic_interval"] = Positive,
        [Core + "HealthCheck.no_traffic_healthy_interval"] = Positive,
        [Core + "HealthCheck.unhealthy_interval"] = Positive,
        [Core + "HealthCheck.unhealthy_edge_interval"] = Positive,
        [Core + "HealthCheck.healthy_edge_interval"] = Positive,
        [Core + "HealthCheck.HttpHealthCheck.host"] = new() { String = new StringRule(WellKnown: KnownRegex.HttpHeaderValue) },
        [Core + "HealthCheck.HttpHealthCheck.path"] = new() { String = new StringRule(MinLen: 1, WellKnown: KnownRegex.HttpHeaderValue) },
        [Core + "HealthCheck.HttpHealthCheck.request_headers_to_add"] = MaxThousandHeaders,
        [Core + "HealthCheck.HttpHealthCheck.request_headers_to_remove"] = HeaderNamesToRemove,
        [Core + "HealthCheck.HttpHealthCheck.codec_client_type"] = Defined,
        [Core + "HealthCheck.HttpHealthCheck.method"] = new() { Enum = new EnumRule(true, [6]) },
        [Core + "Http2ProtocolOptions.max_concurrent_streams"] = new() { UInt32 = new NumberRule(Gte: 1, Lte: int.MaxValue) },
        [Core + "Http2ProtocolOptions.initial_stream_window_size"] = new() { UInt32 = new NumberRule(Gte: 65535, Lte: int.MaxValue) },
        [Core + "Http2ProtocolOptions.initial_connection_window_size"] = new() { UInt32 = new NumberRule(Gte: 65535, Lte: int.MaxValue) },
        [Core + "Http2ProtocolOptions.max_outbound_frames"] = AtLeastOne,
        [Core + "Http2ProtocolOptions.max_outbound_control_frames"] = AtLeastOne,
        [Core + "Http2ProtocolOptions.max_inbound_window_update_frames_per_data_frame_sent"] = AtLeastOne,

        // TLS.
        [Tls + "UpstreamTlsContext.sni"] = new() { String = new StringRule(MaxBytes: 255) },
        [Tls + "DownstreamTlsContext.session_timeout"] = new() { Duration = new DurationRule(GteNanos: 0, LtNanos: 4_294_967_296L * 1_000_000_000) },
        [Tls + "DownstreamTlsContext.ocsp_staple_policy"] = Defined,
        [Tls + "CertificateValidationContext.verify_certificate_spki"] = new() { Repeated = new RepeatedRule(Items: new FieldRule { String = new StringRule(MinLen: 44, MaxBytes: 44) }) },
        [Tls + "CertificateValidationContext.verify_certificate_hash"] = new() { Repeated = new RepeatedRule(Items: new FieldRule { String = new StringRule(MinLen: 64, MaxBytes: 95) }) },
        [Tls + "CertificateValidationContext.trust_chain_verification"] = Defined,
        [Tls + "CertificateValidationContext.max_verify_depth"] = Percent,

        // Listeners and the HTTP connection manager.
        [ListenerNs + "Listener.max_connections_to_accept_per_socket_event"] = new() { UInt32 = new NumberRule(Gt: 0) },
        [ListenerNs + "Filter.name"] = MinLen1,
        [Hcm + ".codec_type"] = Defined,
        [Hcm + ".stat_prefix"] = MinLen1,
        [Hcm + ".server_name"] = LooseHeaderValue,
        [Hcm + ".server_header_transformation"] = Defined,
        [Hcm + ".max_request_headers_kb"] = new() { UInt32 = new NumberRule(Gt: 0, Lte: 8192) },
        [Hcm + ".request_headers_timeout"] = new() { Duration = new DurationRule(GteNanos: 0) },
        [Hcm + ".via"] = LooseHeaderValue,
        [Hcm + ".forward_client_cert_details"] = Defined,
        [HcmNs + "Rds.config_source"] = Required,
        [HcmNs + "HttpFilter.name"] = MinLen1,
        ["envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.log_format"] = Required,
        ["envoy.extensions.filters.http.router.v3.Router.strict_check_headers"] = new()
        {
            Repeated = new RepeatedRule(Items: new FieldRule
            {
                String = new StringRule(In: ["x-envoy-upstream-rq-timeout-ms", "x-envoy-upstream-rq-per-try-timeout-ms", "x-envoy-max-retries", "x-envoy-retry-grpc-on", "x-envoy-retry-on"]),
            }),
        },
        [LocalRateLimitNs + "stat_prefix"] = MinLen1,
        [LocalRateLimitNs + "request_headers_to_add_when_not_enforced"] = new() { Repeated = new RepeatedRule(MaxItems: 10) },
        [LocalRateLimitNs + "response_headers_to_add"] = new() { Repeated = new RepeatedRule(MaxItems: 10) },
        [LocalRateLimitNs + "stage"] = new() { UInt32 = new NumberRule(Lte: 10) },
        [LocalRateLimitNs + "enable_x_ratelimit_headers"] = Defined,
        [LocalRateLimitNs + "vh_rate_limits"] = Defined,
        ["envoy.type.v3.TokenBucket.max_tokens"] = new() { UInt32 = new NumberRule(Gt: 0) },
        ["envoy.type.v3.TokenBucket.tokens_per_fill"] = new() { UInt32 = new NumberRule(Gt: 0) },
        ["envoy.type.v3.TokenBucket.fill_interval"] = RequiredPositive,
        ["envoy.type.v3.FractionalPercent.denominator"] = Defined,

        // Routes.
        [RouteNs + "RouteConfiguration.internal_only_headers"] = HeaderNamesToRemove,
        [RouteNs + "RouteConfiguration.response_headers_to_add"] = MaxThousandHeaders,
        [RouteNs + "RouteConfiguration.response_headers_to_remove"] = HeaderNamesToRemove,
        [RouteNs + "RouteConfiguration.request_headers_to_add"] = MaxThousandHeaders,
        [RouteNs + "RouteConfiguration.request_headers_to_remove"] = HeaderNamesToRemove,
        [RouteNs + "VirtualHost.name"] = MinLen1,
        [RouteNs + "VirtualHost.domains"] = new() { Repeated = new RepeatedRule(MinItems: 1, Items: LooseHeaderValue) },
        [RouteNs + "VirtualHost.require_tls"] = Defined,
        [RouteNs + "VirtualHost.request_headers_to_add"] = MaxThousandHeaders,
        [RouteNs + "VirtualHost.request_headers_to_remove"] = NonEmptyHeaderNamesToRemove,
        [RouteNs + "VirtualHost.response_headers_to_add"] = MaxThousandHeaders,
        [RouteNs + "VirtualHost.response_headers_to_remove"] = NonEmptyHeaderNamesToRemove,
        [RouteNs + "Route.match"] = Required,
        [RouteNs + "Route.request_headers_to_add"] = MaxThousandHeaders,
        [RouteNs + "Route.request_headers_to_remove"] = NonEmptyHeaderNamesToRemove,
        [RouteNs + "Route.response_headers_to_add"] = MaxThousandHeaders,
        [RouteNs + "Route.response_headers_to_remove"] = NonEmptyHeaderNamesToRemove,
        [RouteNs + "RouteMatch.safe_regex"] = Required,
        [RouteNs + "RouteMatch.path_separated_prefix"] = new() { String = new StringRule(Pattern: "^[^?#]+[^?#/]$") },
        ["envoy.type.matcher.v3.RegexMatcher.regex"] = MinLen1,
        [RouteNs + "HeaderMatcher.name"] = new() { String = new StringRule(MinLen: 1, WellKnown: KnownRegex.HttpHeaderName, Strict: false) },
        [RouteNs + "HeaderMatcher.prefix_match"] = MinLen1,
        [RouteNs + "HeaderMatcher.suffix_match"] = MinLen1,
        [RouteNs + "HeaderMatcher.contains_match"] = MinLen1,
        ["envoy.type.matcher.v3.StringMatcher.prefix"] = MinLen1,
        ["envoy.type.matcher.v3.StringMatcher.suffix"] = MinLen1,
        ["envoy.type.matcher.v3.StringMatcher.safe_regex"] = Required,
        ["envoy.type.matcher.v3.StringMatcher.contains"] = MinLen1,
        [RouteNs + "RouteAction.cluster"] = MinLen1,
        [RouteNs + "RouteAction.cluster_header"] = new() { String = new StringRule(MinLen: 1, WellKnown: KnownRegex.HttpHeaderName, Strict: false) },
        [RouteNs + "RouteAction.cluster_not_found_response_code"] = Defined,
        [RouteNs + "RouteAction.prefix_rewrite"] = LooseHeaderValue,
        [RouteNs + "RouteAction.host_rewrite_literal"] = LooseHeaderValue,
        [RouteNs + "RouteAction.host_rewrite_header"] = LooseHeaderName,
        [RouteNs + "RouteAction.priority"] = Defined,
        [RouteNs + "RouteAction.HashPolicy.Header.header_name"] = new() { String = new StringRule(MinLen: 1, WellKnown: KnownRegex.HttpHeaderName, Strict: false) },
        [RouteNs + "RouteAction.HashPolicy.Cookie.name"] = MinLen1,
        [RouteNs + "RouteAction.HashPolicy.QueryParameter.name"] = MinLen1,
        [RouteNs + "RouteAction.HashPolicy.FilterState.key"] = MinLen1,
        [RouteNs + "RouteAction.UpgradeConfig.upgrade_type"] = new() { String = new StringRule(MinLen: 1, WellKnown: KnownRegex.HttpHeaderValue, Strict: false) },
        [RouteNs + "WeightedCluster.clusters"] = new() { Repeated = new RepeatedRule(MinItems: 1) },
        [RouteNs + "WeightedCluster.header_name"] = LooseHeaderName,
        [RouteNs + "WeightedCluster.ClusterWeight.cluster_header"] = LooseHeaderName,
        [RouteNs + "WeightedCluster.ClusterWeight.request_headers_to_add"] = MaxThousandHeaders,
        [RouteNs + "WeightedCluster.ClusterWeight.request_headers_to_remove"] = HeaderNamesToRemove,
        [RouteNs + "WeightedCluster.ClusterWeight.response_headers_to_add"] = MaxThousandHeaders,
        [RouteNs + "WeightedCluster.ClusterWeight.response_headers_to_remove"] = HeaderNamesToRemove,
        [RouteNs + "WeightedCluster.ClusterWeight.host_rewrite_literal"] = LooseHeaderValue,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Oneofs marked <c>(validate.required)</c>, by full name (package.Message.oneof).</summary>
    public static FrozenSet<string> RequiredOneofs { get; } = new[]
    {
        Core + "Address.address",
        Core + "SocketAddress.port_specifier",
        Core + "ConfigSource.config_source_specifier",
        Core + "DataSource.specifier",
        Core + "HealthCheck.health_checker",
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions.upstream_protocol_options",
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig.protocol_config",
        Hcm + ".route_specifier",
        RouteNs + "Route.action",
        RouteNs + "RouteMatch.path_specifier",
        RouteNs + "RouteAction.cluster_specifier",
        RouteNs + "RouteAction.HashPolicy.policy_specifier",
        "envoy.type.matcher.v3.StringMatcher.match_pattern",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The table as JSON, in protoc-gen-validate's shape (for the CI comparison).</summary>
    public static JsonObject ToJson()
    {
        var fields = new JsonObject();
        foreach (var (name, rule) in Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            fields[name] = rule.ToJson();
        }

        return new JsonObject
        {
            ["fields"] = fields,
            ["required_oneofs"] = new JsonArray([.. RequiredOneofs.Order(StringComparer.Ordinal).Select(o => JsonValue.Create(o))]),
        };
    }
}
