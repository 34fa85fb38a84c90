using Google.Protobuf.Collections;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;
using Endpoint = MarchProxy.Api.V1.Endpoint;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Maps the API's <see cref="ClusterConfig"/> onto a <see cref="ClusterSpec"/>. Zero means "the
/// default" for the numeric fields (proto3 cannot tell unset from 0); every bad field is reported.
/// </summary>
public static class ClusterRequestMapper
{
    public const uint DefaultConnectTimeoutMs = 5000;
    public const uint MaxTimeoutMs = 3_600_000;

    public static ClusterSpec? Map(string field, ClusterConfig? cluster, FieldErrors errors)
    {
        if (cluster is null)
        {
            errors.Add(field, "is required");
            return null;
        }

        var before = errors.Count;
        errors.RequireName($"{field}.name", cluster.Name);
        var endpoints = MapEndpoints($"{field}.endpoints", cluster.Endpoints, errors);
        if (!ModelRules.TryParseLoadBalancing(cluster.LbPolicy, out var policy))
        {
            errors.Add($"{field}.lb_policy", $"must be ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH or MAGLEV, got '{cluster.LbPolicy}'");
        }

        errors.RequireRange($"{field}.connect_timeout_ms", cluster.ConnectTimeoutMs, 0, MaxTimeoutMs);
        var spec = new ClusterSpec
        {
            Name = cluster.Name,
            Endpoints = [.. endpoints],
            LoadBalancing = policy,
            ConnectTimeout = TimeSpan.FromMilliseconds(cluster.ConnectTimeoutMs == 0 ? DefaultConnectTimeoutMs : cluster.ConnectTimeoutMs),
            Http2 = cluster.Http2,
            HealthCheck = MapHealthCheck($"{field}.health_check", cluster.HealthCheck, errors),
            OutlierDetection = MapOutlierDetection($"{field}.outlier_detection", cluster.OutlierDetection, errors),
            CircuitBreakers = MapCircuitBreakers(cluster.CircuitBreakers),
            Tls = MapTls($"{field}.tls", cluster.Tls, errors),
        };
        return errors.Count > before ? null : spec;
    }

    private static List<EndpointSpec> MapEndpoints(string field, RepeatedField<Endpoint> endpoints, FieldErrors errors)
    {
        if (endpoints.Count == 0)
        {
            errors.Add(field, "a cluster needs at least one endpoint");
        }

        var result = new List<EndpointSpec>(endpoints.Count);
        var seen = new HashSet<(string, uint)>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            if (!ModelRules.IsValidAddress(endpoint.Address))
            {
                errors.Add($"{field}[{i}].address", $"'{endpoint.Address}' must be an IP literal or a host name");
            }

            errors.RequireRange($"{field}[{i}].port", endpoint.Port, 1, 65535);
            errors.RequireRange($"{field}[{i}].weight", endpoint.Weight, 0, ModelRules.MaxEndpointWeight);
            if (!seen.Add((endpoint.Address.ToUpperInvariant(), endpoint.Port)))
            {
                errors.Add($"{field}[{i}]", $"duplicate endpoint {endpoint.Address}:{endpoint.Port}");
            }

            result.Add(new EndpointSpec(endpoint.Address, (int)Math.Min(endpoint.Port, 65536), (int)Math.Max(1, Math.Min(endpoint.Weight, 1000))));
        }

        return result;
    }

    private static HealthCheckSpec? MapHealthCheck(string field, HealthCheckConfig? check, FieldErrors errors)
    {
        if (check is null)
        {
            return null;
        }

        if (check.HttpPath.Length > 0 && !check.HttpPath.StartsWith('/'))
        {
            errors.Add($"{field}.http_path", $"must start with '/', got '{check.HttpPath}'");
        }

        errors.RequireRange($"{field}.interval_ms", check.IntervalMs, 0, MaxTimeoutMs);
        errors.RequireRange($"{field}.timeout_ms", check.TimeoutMs, 0, MaxTimeoutMs);
        errors.RequireRange($"{field}.healthy_threshold", check.HealthyThreshold, 0, 100);
        errors.RequireRange($"{field}.unhealthy_threshold", check.UnhealthyThreshold, 0, 100);
        var spec = new HealthCheckSpec { HttpPath = check.HttpPath.Length == 0 ? null : check.HttpPath };
        return spec with
        {
            Interval = Milliseconds(check.IntervalMs, spec.Interval),
            Timeout = Milliseconds(check.TimeoutMs, spec.Timeout),
            HealthyThreshold = check.HealthyThreshold == 0 ? spec.HealthyThreshold : (int)Math.Min(check.HealthyThreshold, 100),
            UnhealthyThreshold = check.UnhealthyThreshold == 0 ? spec.UnhealthyThreshold : (int)Math.Min(check.UnhealthyThreshold, 100),
        };
    }

    private static OutlierDetectionSpec? MapOutlierDetection(string field, OutlierDetectionConfig? outlier, FieldErrors errors)
    {
        if (outlier is null)
        {
            return null;
        }

        errors.RequireRange($"{field}.consecutive_5xx", outlier.Consecutive5Xx, 0, 1000);
        errors.RequireRange($"{field}.interval_ms", outlier.IntervalMs, 0, MaxTimeoutMs);
        errors.RequireRange($"{field}.base_ejection_time_ms", outlier.BaseEjectionTimeMs, 0, MaxTimeoutMs);
        errors.RequireRange($"{field}.max_ejection_percent", outlier.MaxEjectionPercent, 0, 100);
        var spec = new OutlierDetectionSpec();
        return spec with
        {
            Consecutive5xx = outlier.Consecutive5Xx == 0 ? spec.Consecutive5xx : (int)Math.Min(outlier.Consecutive5Xx, 1000),
            Interval = Milliseconds(outlier.IntervalMs, spec.Interval),
            BaseEjectionTime = Milliseconds(outlier.BaseEjectionTimeMs, spec.BaseEjectionTime),
            MaxEjectionPercent = outlier.MaxEjectionPercent == 0 ? spec.MaxEjectionPercent : (int)Math.Min(outlier.MaxEjectionPercent, 100),
        };
    }

    private static CircuitBreakerSpec? MapCircuitBreakers(CircuitBreakerConfig? breakers) => breakers is null
        ? null
        : new CircuitBreakerSpec
        {
            MaxConnections = Limit(breakers.MaxConnections),
            MaxPendingRequests = Limit(breakers.MaxPendingRequests),
            MaxRequests = Limit(breakers.MaxRequests),
            MaxRetries = Limit(breakers.MaxRetries),
        };

    private static UpstreamTlsSpec? MapTls(string field, UpstreamTlsConfig? tls, FieldErrors errors)
    {
        if (tls is null || !tls.Enabled)
        {
            return null;
        }

        if (tls.Sni.Length > 0 && !HostAddress.IsHostname(tls.Sni))
        {
            errors.Add($"{field}.sni", $"'{tls.Sni}' is not a host name");
        }

        return new UpstreamTlsSpec
        {
            Sni = tls.Sni.Length == 0 ? null : tls.Sni,
            TrustedCaFile = tls.TrustedCaFile.Length == 0 ? null : tls.TrustedCaFile,
        };
    }

    private static TimeSpan Milliseconds(uint value, TimeSpan fallback) =>
        value == 0 ? fallback : TimeSpan.FromMilliseconds(Math.Min(value, MaxTimeoutMs));

    private static int? Limit(uint value) => value == 0 ? null : (int)Math.Min(value, int.MaxValue);
}
