using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Maps the API's <see cref="ClusterConfig"/> onto a <see cref="ClusterSpec"/>. Zero means "the
/// default" for the numeric fields (proto3 cannot tell unset from 0), and "no limit" for the circuit
/// breakers; the policy name is parsed here. Every value rule is the model validator's.
/// </summary>
public static class ClusterRequestMapper
{
    public const uint DefaultConnectTimeoutMs = 5000;

    public static ClusterSpec? Map(ClusterConfig? cluster, List<FieldViolation> errors)
    {
        if (cluster is null)
        {
            errors.Add(new FieldViolation("cluster", "is required"));
            return null;
        }

        if (!LoadBalancingPolicyNames.TryParse(cluster.LbPolicy, out var policy))
        {
            errors.Add(new FieldViolation("cluster.lb_policy", $"must be ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH or MAGLEV, got {ValidationText.Quote(cluster.LbPolicy)}"));
        }

        return new ClusterSpec
        {
            Name = cluster.Name,
            Endpoints = [.. cluster.Endpoints.Select(e => new EndpointSpec(e.Address, Saturate(e.Port), e.Weight == 0 ? 1 : Saturate(e.Weight)))],
            LoadBalancing = policy,
            ConnectTimeout = TimeSpan.FromMilliseconds(cluster.ConnectTimeoutMs == 0 ? DefaultConnectTimeoutMs : cluster.ConnectTimeoutMs),
            Http2 = cluster.Http2,
            HealthCheck = MapHealthCheck(cluster.HealthCheck),
            OutlierDetection = MapOutlierDetection(cluster.OutlierDetection),
            CircuitBreakers = MapCircuitBreakers(cluster.CircuitBreakers),
            Tls = MapTls(cluster.Tls),
        };
    }

    private static HealthCheckSpec? MapHealthCheck(HealthCheckConfig? check)
    {
        if (check is null)
        {
            return null;
        }

        var spec = new HealthCheckSpec { HttpPath = check.HttpPath.Length == 0 ? null : check.HttpPath };
        return spec with
        {
            Interval = Milliseconds(check.IntervalMs, spec.Interval),
            Timeout = Milliseconds(check.TimeoutMs, spec.Timeout),
            HealthyThreshold = check.HealthyThreshold == 0 ? spec.HealthyThreshold : Saturate(check.HealthyThreshold),
            UnhealthyThreshold = check.UnhealthyThreshold == 0 ? spec.UnhealthyThreshold : Saturate(check.UnhealthyThreshold),
        };
    }

    private static OutlierDetectionSpec? MapOutlierDetection(OutlierDetectionConfig? outlier)
    {
        if (outlier is null)
        {
            return null;
        }

        var spec = new OutlierDetectionSpec();
        return spec with
        {
            Consecutive5xx = outlier.Consecutive5Xx == 0 ? spec.Consecutive5xx : Saturate(outlier.Consecutive5Xx),
            Interval = Milliseconds(outlier.IntervalMs, spec.Interval),
            BaseEjectionTime = Milliseconds(outlier.BaseEjectionTimeMs, spec.BaseEjectionTime),
            MaxEjectionPercent = outlier.MaxEjectionPercent == 0 ? spec.MaxEjectionPercent : Saturate(outlier.MaxEjectionPercent),
        };
    }

    /// <summary>0 means no limit: Envoy has no "unlimited", so it gets a threshold that is never reached.</summary>
    private static CircuitBreakerSpec? MapCircuitBreakers(CircuitBreakerConfig? breakers) => breakers is null
        ? null
        : new CircuitBreakerSpec
        {
            MaxConnections = Limit(breakers.MaxConnections),
            MaxPendingRequests = Limit(breakers.MaxPendingRequests),
            MaxRequests = Limit(breakers.MaxRequests),
            MaxRetries = Limit(breakers.MaxRetries),
        };

    private static UpstreamTlsSpec? MapTls(UpstreamTlsConfig? tls) => tls is not { Enabled: true }
        ? null
        : new UpstreamTlsSpec
        {
            Sni = tls.Sni.Length == 0 ? null : tls.Sni,
            TrustedCaFile = tls.TrustedCaFile.Length == 0 ? null : tls.TrustedCaFile,
            TrustedCaPem = tls.TrustedCaPem.Length == 0 ? null : tls.TrustedCaPem,
        };

    private static TimeSpan Milliseconds(uint value, TimeSpan fallback) => value == 0 ? fallback : TimeSpan.FromMilliseconds(value);

    private static int Limit(uint value) => value == 0 ? CircuitBreakerSpec.NoLimit : Saturate(value);

    private static int Saturate(uint value) => RouteRequestMapper.Saturate(value);
}
