using MarchProxy.Config;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>Maps one standalone cluster (Destinations and policies) onto a <see cref="ClusterSpec"/>.</summary>
internal static class StandaloneClusterMapper
{
    /// <summary>The spec, or null when the cluster is null; <paramref name="destinations"/> lists the destination keys in endpoint order.</summary>
    public static ClusterSpec? Map(string path, string name, FileCluster? cluster, List<FieldViolation> violations, out IReadOnlyList<string> destinations)
    {
        destinations = [];
        if (cluster is null)
        {
            violations.Add(new FieldViolation(path, "must not be null"));
            return null;
        }

        var read = ClusterDestinations.Read(cluster, ValidationText.Quote);
        violations.AddRange(read.Errors.Select(e => new FieldViolation($"{path}:{e.Field}", e.Message)));
        destinations = [.. read.Endpoints.Select(d => d.Key)];
        if (!LoadBalancingPolicyNames.TryParse(cluster.LoadBalancingPolicy, out var policy))
        {
            violations.Add(new FieldViolation($"{path}:LoadBalancingPolicy", $"must be RoundRobin, LeastRequest, Random, RingHash or Maglev, got {ValidationText.Quote(cluster.LoadBalancingPolicy)}"));
        }

        var tls = cluster.Tls is { } t
            ? new UpstreamTlsSpec { Sni = t.Sni ?? read.TlsHost, TrustedCaFile = t.TrustedCaFile, TrustedCaPem = t.TrustedCaPem }
            : read.Https ? new UpstreamTlsSpec { Sni = read.TlsHost } : null;

        return new ClusterSpec
        {
            Name = name,
            Endpoints = [.. read.Endpoints.Select(d => new EndpointSpec(d.Host, d.Port, d.Destination.Weight ?? 1))],
            LoadBalancing = policy,
            ConnectTimeout = cluster.ConnectTimeout ?? TimeSpan.FromSeconds(5),
            Http2 = cluster.Http2,
            HealthCheck = MapHealthCheck(cluster.HealthCheck),
            OutlierDetection = MapOutlierDetection(cluster.OutlierDetection),
            CircuitBreakers = cluster.CircuitBreakers is { } cb
                ? new CircuitBreakerSpec { MaxConnections = cb.MaxConnections, MaxPendingRequests = cb.MaxPendingRequests, MaxRequests = cb.MaxRequests, MaxRetries = cb.MaxRetries }
                : null,
            Tls = tls,
        };
    }

    private static HealthCheckSpec? MapHealthCheck(FileHealthCheck? check)
    {
        if (check is null)
        {
            return null;
        }

        var spec = new HealthCheckSpec { HttpPath = string.IsNullOrEmpty(check.Path) ? null : check.Path };
        return spec with
        {
            Interval = check.Interval ?? spec.Interval,
            Timeout = check.Timeout ?? spec.Timeout,
            HealthyThreshold = check.HealthyThreshold ?? spec.HealthyThreshold,
            UnhealthyThreshold = check.UnhealthyThreshold ?? spec.UnhealthyThreshold,
        };
    }

    private static OutlierDetectionSpec? MapOutlierDetection(FileOutlierDetection? outlier)
    {
        if (outlier is null)
        {
            return null;
        }

        var spec = new OutlierDetectionSpec();
        return spec with
        {
            Consecutive5xx = outlier.Consecutive5xx ?? spec.Consecutive5xx,
            Interval = outlier.Interval ?? spec.Interval,
            BaseEjectionTime = outlier.BaseEjectionTime ?? spec.BaseEjectionTime,
            MaxEjectionPercent = outlier.MaxEjectionPercent ?? spec.MaxEjectionPercent,
        };
    }
}
