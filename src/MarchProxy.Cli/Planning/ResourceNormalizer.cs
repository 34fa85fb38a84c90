using MarchProxy.Api.V1;

namespace MarchProxy.Cli.Planning;

/// <summary>
/// Writes out the API's documented defaults (0 means the default; "" means ROUND_ROBIN; a disabled
/// rate limit or TLS block means none), so a file and the live config compare by meaning, not by
/// spelling.
/// </summary>
public static class ResourceNormalizer
{
    public const string DefaultRetryOn = "5xx,connect-failure,reset";

    public static ClusterConfig Normalize(ClusterConfig cluster)
    {
        var result = cluster.Clone();
        result.LbPolicy = result.LbPolicy.Length == 0 ? "ROUND_ROBIN" : result.LbPolicy.ToUpperInvariant();
        result.ConnectTimeoutMs = Default(result.ConnectTimeoutMs, 5000);
        foreach (var endpoint in result.Endpoints)
        {
            endpoint.Weight = Default(endpoint.Weight, 1);
        }

        if (result.HealthCheck is { } check)
        {
            check.IntervalMs = Default(check.IntervalMs, 5000);
            check.TimeoutMs = Default(check.TimeoutMs, 1000);
            check.HealthyThreshold = Default(check.HealthyThreshold, 2);
            check.UnhealthyThreshold = Default(check.UnhealthyThreshold, 3);
        }

        if (result.OutlierDetection is { } outlier)
        {
            outlier.Consecutive5Xx = Default(outlier.Consecutive5Xx, 5);
            outlier.IntervalMs = Default(outlier.IntervalMs, 10_000);
            outlier.BaseEjectionTimeMs = Default(outlier.BaseEjectionTimeMs, 30_000);
            outlier.MaxEjectionPercent = Default(outlier.MaxEjectionPercent, 10);
        }

        if (result.CircuitBreakers is { MaxConnections: 0, MaxPendingRequests: 0, MaxRequests: 0, MaxRetries: 0 })
        {
            result.CircuitBreakers = null;
        }

        if (result.Tls is { Enabled: false })
        {
            result.Tls = null;
        }

        return result;
    }

    public static RouteConfig Normalize(RouteConfig route)
    {
        var result = route.Clone();
        if (result.Prefix.Length == 0 && result.Path.Length == 0 && result.Regex.Length == 0)
        {
            result.Prefix = "/";
        }

        if (result.RateLimit is { Enabled: false })
        {
            result.RateLimit = null;
        }
        else if (result.RateLimit is { BurstSize: 0 } limit)
        {
            limit.BurstSize = limit.RequestsPerSecond;
        }

        if (result.Retry is { RetryOn.Length: 0 } retry)
        {
            retry.RetryOn = DefaultRetryOn;
        }

        return result;
    }

    private static uint Default(uint value, uint fallback) => value == 0 ? fallback : value;
}
