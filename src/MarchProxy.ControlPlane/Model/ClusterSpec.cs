using System.Collections.Immutable;

namespace MarchProxy.ControlPlane.Model;

/// <summary>An upstream cluster: its endpoints and how to talk to them.</summary>
public sealed record ClusterSpec
{
    public required string Name { get; init; }

    public ImmutableArray<EndpointSpec> Endpoints { get; init; } = [];

    public LoadBalancingPolicy LoadBalancing { get; init; } = LoadBalancingPolicy.RoundRobin;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Speak HTTP/2 to the upstream (needed for gRPC backends).</summary>
    public bool Http2 { get; init; }

    public HealthCheckSpec? HealthCheck { get; init; }

    public OutlierDetectionSpec? OutlierDetection { get; init; }

    public CircuitBreakerSpec? CircuitBreakers { get; init; }

    public UpstreamTlsSpec? Tls { get; init; }
}

/// <summary>One upstream endpoint. <see cref="Address"/> is an IP literal or a hostname.</summary>
public sealed record EndpointSpec(string Address, int Port, int Weight = 1);

public enum LoadBalancingPolicy
{
    RoundRobin = 0,
    LeastRequest = 1,
    Random = 2,
    RingHash = 3,
    Maglev = 4,
}

/// <summary>Active health checking. An empty <see cref="HttpPath"/> means a TCP connect check.</summary>
public sealed record HealthCheckSpec
{
    public string? HttpPath { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    public int HealthyThreshold { get; init; } = 2;

    public int UnhealthyThreshold { get; init; } = 3;
}

public sealed record OutlierDetectionSpec
{
    public int Consecutive5xx { get; init; } = 5;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan BaseEjectionTime { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxEjectionPercent { get; init; } = 10;
}

/// <summary>
/// Circuit-breaker thresholds for the default priority. Null means Envoy's default (1024 connections,
/// pending and requests, 3 retries); <see cref="NoLimit"/> means no limit in practice.
/// </summary>
public sealed record CircuitBreakerSpec
{
    /// <summary>Envoy has no "unlimited" threshold; this one is never reached.</summary>
    public const int NoLimit = int.MaxValue;

    public int? MaxConnections { get; init; }

    public int? MaxPendingRequests { get; init; }

    public int? MaxRequests { get; init; }

    public int? MaxRetries { get; init; }
}

public sealed record UpstreamTlsSpec
{
    /// <summary>SNI to send; null means none.</summary>
    public string? Sni { get; init; }

    /// <summary>A PEM file of CAs to trust; with neither this nor <see cref="TrustedCaPem"/> the upstream certificate is not verified.</summary>
    public string? TrustedCaFile { get; init; }

    /// <summary>The CAs to trust, inline (PEM); for Envoys that do not share the ALB's files.</summary>
    public string? TrustedCaPem { get; init; }
}
