using System.Text.RegularExpressions;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Validation;

/// <summary>
/// Turns a path inside an emitted resource into the path of the model field it came from
/// (<c>virtual_hosts[1].routes[2].match.safe_regex.regex</c> of route <c>api</c> → <c>routes[api].match.regex</c>),
/// so that a refusal names what the user wrote. Unknown paths fall back to the resource itself.
/// </summary>
internal sealed partial class EnvoyPathMapper(DesiredState state, bool grpc)
{
    private static readonly (string Envoy, string Model)[] RouteFields =
    [
        ("match.safe_regex", ".match.regex"),
        ("match.prefix", ".match.prefix"),
        ("match.path", ".match.path"),
        ("route.cluster", ".cluster"),
        ("route.timeout", ".timeout"),
        ("route.max_stream_duration", ".timeout"),
        ("route.retry_policy.retry_on", ".retry.retry_on"),
        ("route.retry_policy.num_retries", ".retry.num_retries"),
        ("route.retry_policy.per_try_timeout", ".retry.per_try_timeout"),
        ("route.retry_policy", ".retry"),
        ("route.weighted_clusters", ".backends"),
        ("route.upgrade_configs", ".websocket"),
        ("typed_per_filter_config", ".rate_limit"),
        ("match", ".match"),
    ];

    private static readonly (string Envoy, string Model)[] ClusterFields =
    [
        ("connect_timeout", ".connect_timeout"),
        ("lb_policy", ".lb_policy"),
        ("health_checks[0].timeout", ".health_check.timeout"),
        ("health_checks[0].interval", ".health_check.interval"),
        ("health_checks[0].healthy_threshold", ".health_check.healthy_threshold"),
        ("health_checks[0].unhealthy_threshold", ".health_check.unhealthy_threshold"),
        ("health_checks[0].http_health_check", ".health_check.http_path"),
        ("health_checks", ".health_check"),
        ("outlier_detection.consecutive_5xx", ".outlier_detection.consecutive_5xx"),
        ("outlier_detection.interval", ".outlier_detection.interval"),
        ("outlier_detection.base_ejection_time", ".outlier_detection.base_ejection_time"),
        ("outlier_detection.max_ejection_percent", ".outlier_detection.max_ejection_percent"),
        ("outlier_detection", ".outlier_detection"),
        ("circuit_breakers.thresholds[0].max_connections", ".circuit_breakers.max_connections"),
        ("circuit_breakers.thresholds[0].max_pending_requests", ".circuit_breakers.max_pending_requests"),
        ("circuit_breakers.thresholds[0].max_requests", ".circuit_breakers.max_requests"),
        ("circuit_breakers.thresholds[0].max_retries", ".circuit_breakers.max_retries"),
        ("circuit_breakers", ".circuit_breakers"),
        ("typed_extension_protocol_options", ".http2"),
        ("type", ".endpoints"),
        ("eds_cluster_config", ".endpoints"),
        ("dns_lookup_family", ".endpoints"),
    ];

    public string Route(string name, string path)
    {
        var root = ConfigValidator.RoutePath(name);
        if (HeaderPath().Match(path) is { Success: true } header)
        {
            return $"{root}.match.headers[{header.Groups[1].Value}].{(header.Groups[2].Value == "name" ? "name" : "value")}";
        }

        if (BackendPath().Match(path) is { Success: true } backend)
        {
            return $"{root}.backends[{backend.Groups[1].Value}].{(backend.Groups[2].Value == ".name" ? "cluster" : "weight")}";
        }

        if (HashPolicyPath().Match(path) is { Success: true } hash)
        {
            return $"{root}.hash_policy[{HashPolicyIndex(name, int.Parse(hash.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))}]{HashPolicyField(hash.Groups[2].Value)}";
        }

        return root + Lookup(RouteFields, path);
    }

    public string Cluster(string name, string path)
    {
        var root = ConfigValidator.ClusterPath(name);
        if (EndpointPath().Match(path) is { Success: true } endpoint)
        {
            return Endpoint(name, int.Parse(endpoint.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), endpoint.Groups[2].Value);
        }

        if (path.StartsWith("transport_socket", StringComparison.Ordinal))
        {
            var tls = state.Clusters.GetValueOrDefault(name)?.Tls;
            return root + (path.EndsWith(".sni", StringComparison.Ordinal) ? ".tls.sni"
                : path.Contains("trusted_ca", StringComparison.Ordinal) ? (tls?.TrustedCaPem is not null ? ".tls.trusted_ca_pem" : ".tls.trusted_ca_file")
                : ".tls");
        }

        return root + Lookup(ClusterFields, path);
    }

    /// <summary>A ClusterLoadAssignment (EDS) of cluster <paramref name="name"/>.</summary>
    public string Assignment(string name, string path) => Cluster(name, "load_assignment." + path);

    public string Listener(string name, string path)
    {
        if (grpc)
        {
            // A gRPC listener is named after a route host.
            return Domain(name);
        }

        if (!state.Listeners.ContainsKey(name))
        {
            // The default listener comes from the ALB's settings, not from the model.
            return "listeners";
        }

        var root = ConfigValidator.ListenerPath(name);
        return root + (path switch
        {
            _ when path.EndsWith("port_value", StringComparison.Ordinal) => ".port",
            _ when path.StartsWith("address", StringComparison.Ordinal) => ".address",
            _ when path.Contains("certificate_chain", StringComparison.Ordinal) => ".tls.certificate_chain",
            _ when path.Contains("private_key", StringComparison.Ordinal) => ".tls.private_key",
            _ when path.Contains("transport_socket", StringComparison.Ordinal) => ".tls",
            _ => string.Empty,
        });
    }

    /// <summary>The route host a virtual-host domain came from.</summary>
    public string Domain(string domain)
    {
        foreach (var (name, route) in state.Routes)
        {
            var hosts = route.Match.Hosts.IsDefault ? [] : route.Match.Hosts;
            for (var i = 0; i < hosts.Length; i++)
            {
                if (string.Equals(hosts[i], domain, StringComparison.OrdinalIgnoreCase))
                {
                    return $"{ConfigValidator.RoutePath(name)}.match.hosts[{i}]";
                }
            }
        }

        return "routes";
    }

    private string Endpoint(string cluster, int emittedIndex, string rest)
    {
        var root = ConfigValidator.ClusterPath(cluster);
        var spec = state.Clusters.GetValueOrDefault(cluster);
        if (spec is null || spec.Endpoints.IsDefaultOrEmpty)
        {
            return root + ".endpoints";
        }

        // gRPC clients get the IP-literal endpoints only, so their indexes shift.
        var original = Enumerable.Range(0, spec.Endpoints.Length)
            .Where(i => !grpc || HostAddress.IsIpLiteral(spec.Endpoints[i].Address))
            .ElementAtOrDefault(emittedIndex);
        var field = rest switch
        {
            _ when rest.Contains("port_value", StringComparison.Ordinal) => ".port",
            _ when rest.Contains("address", StringComparison.Ordinal) => ".address",
            _ when rest.Contains("load_balancing_weight", StringComparison.Ordinal) => ".weight",
            _ => string.Empty,
        };
        return $"{root}.endpoints[{original}]{field}";
    }

    private int HashPolicyIndex(string route, int emittedIndex)
    {
        var policies = state.Routes.GetValueOrDefault(route)?.HashPolicies ?? [];
        if (!grpc || policies.IsDefaultOrEmpty)
        {
            return emittedIndex;
        }

        // gRPC clients get the header keys only.
        return Enumerable.Range(0, policies.Length).Where(i => policies[i].Kind == HashPolicyKind.Header).ElementAtOrDefault(emittedIndex);
    }

    private static string HashPolicyField(string rest) => rest switch
    {
        _ when rest.StartsWith(".header", StringComparison.Ordinal) => ".header",
        _ when rest.StartsWith(".cookie.ttl", StringComparison.Ordinal) => ".cookie_ttl",
        _ when rest.StartsWith(".cookie.path", StringComparison.Ordinal) => ".cookie_path",
        _ when rest.StartsWith(".cookie", StringComparison.Ordinal) => ".cookie",
        _ => string.Empty,
    };

    private static string Lookup((string Envoy, string Model)[] table, string path)
    {
        foreach (var (envoy, model) in table)
        {
            if (path.StartsWith(envoy, StringComparison.Ordinal)
                && (path.Length == envoy.Length || path[envoy.Length] is '.' or '['))
            {
                return model;
            }
        }

        return string.Empty;
    }

    [GeneratedRegex(@"^match\.headers\[(\d+)\](?:\.(name))?")]
    private static partial Regex HeaderPath();

    [GeneratedRegex(@"^route\.weighted_clusters\.clusters\[(\d+)\](\.name)?")]
    private static partial Regex BackendPath();

    [GeneratedRegex(@"^route\.hash_policy\[(\d+)\](.*)$")]
    private static partial Regex HashPolicyPath();

    [GeneratedRegex(@"^load_assignment\.endpoints\[\d+\]\.lb_endpoints\[(\d+)\](.*)$")]
    private static partial Regex EndpointPath();
}
