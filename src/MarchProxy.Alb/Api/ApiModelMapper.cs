using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;
using Endpoint = MarchProxy.Api.V1.Endpoint;

namespace MarchProxy.Alb.Api;

/// <summary>Maps the model back onto the API's shapes (GetRoutes, GetClusters, responses).</summary>
public static class ApiModelMapper
{
    public static RouteConfig ToApi(RouteSpec route)
    {
        var match = route.Match ?? new RouteMatchSpec();
        var config = new RouteConfig
        {
            Name = route.Name,
            Prefix = match.PathPrefix ?? (match.Path is null && match.Regex is null ? "/" : string.Empty),
            Path = match.Path ?? string.Empty,
            Regex = match.Regex ?? string.Empty,
            ClusterName = route.Cluster ?? string.Empty,
            TimeoutSeconds = route.Timeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : 0,
            Enabled = route.Enabled,
            Websocket = route.WebSocket,
        };
        config.Hosts.AddRange(match.Hosts.IsDefault ? [] : match.Hosts);
        foreach (var header in match.Headers.IsDefault ? [] : match.Headers)
        {
            config.Headers[header.Name] = header.Value;
        }

        config.Weights.AddRange(ToApi(route.Backends.IsDefault ? [] : route.Backends));
        config.HashPolicy.AddRange((route.HashPolicies.IsDefault ? [] : route.HashPolicies).Select(ToApi));
        if (route.RateLimit is { } limit)
        {
            config.RateLimit = new RateLimitConfig { RequestsPerSecond = limit.RequestsPerSecond, BurstSize = limit.Burst, Enabled = limit.Enabled };
        }

        if (route.Retry is { } retry)
        {
            config.Retry = new RetryPolicy
            {
                RetryOn = retry.RetryOn,
                NumRetries = (uint)Math.Max(0, retry.NumRetries),
                PerTryTimeoutMs = retry.PerTryTimeout is { } t ? (uint)t.TotalMilliseconds : 0,
            };
        }

        return config;
    }

    public static HashPolicy ToApi(HashPolicySpec policy)
    {
        var api = new HashPolicy
        {
            Terminal = policy.Terminal,
            CookieTtlSeconds = policy.CookieTtl is { } ttl ? (uint)Math.Ceiling(ttl.TotalSeconds) : 0,
            CookiePath = policy.CookiePath ?? string.Empty,
        };
        switch (policy.Kind)
        {
            case HashPolicyKind.Header:
                api.Header = policy.Name ?? string.Empty;
                break;
            case HashPolicyKind.Cookie:
                api.Cookie = policy.Name ?? string.Empty;
                break;
            default:
                api.SourceIp = true;
                break;
        }

        return api;
    }

    public static IEnumerable<TrafficWeight> ToApi(IEnumerable<WeightedBackend> backends) =>
        backends.Select(b => new TrafficWeight { BackendName = b.Cluster, Weight = b.Weight });

    public static ClusterConfig ToApi(ClusterSpec cluster)
    {
        var config = new ClusterConfig
        {
            Name = cluster.Name,
            LbPolicy = LoadBalancingPolicyNames.ToApiName(cluster.LoadBalancing),
            ConnectTimeoutMs = (uint)cluster.ConnectTimeout.TotalMilliseconds,
            Http2 = cluster.Http2,
        };
        config.Endpoints.AddRange((cluster.Endpoints.IsDefault ? [] : cluster.Endpoints)
            .Select(e => new Endpoint { Address = e.Address, Port = (uint)e.Port, Weight = (uint)e.Weight }));

        if (cluster.HealthCheck is { } hc)
        {
            config.HealthCheck = new HealthCheckConfig
            {
                HttpPath = hc.HttpPath ?? string.Empty,
                IntervalMs = (uint)hc.Interval.TotalMilliseconds,
                TimeoutMs = (uint)hc.Timeout.TotalMilliseconds,
                HealthyThreshold = (uint)hc.HealthyThreshold,
                UnhealthyThreshold = (uint)hc.UnhealthyThreshold,
            };
        }

        if (cluster.OutlierDetection is { } od)
        {
            config.OutlierDetection = new OutlierDetectionConfig
            {
                Consecutive5Xx = (uint)od.Consecutive5xx,
                IntervalMs = (uint)od.Interval.TotalMilliseconds,
                BaseEjectionTimeMs = (uint)od.BaseEjectionTime.TotalMilliseconds,
                MaxEjectionPercent = (uint)od.MaxEjectionPercent,
            };
        }

        if (cluster.CircuitBreakers is { } cb)
        {
            config.CircuitBreakers = new CircuitBreakerConfig
            {
                MaxConnections = Limit(cb.MaxConnections),
                MaxPendingRequests = Limit(cb.MaxPendingRequests),
                MaxRequests = Limit(cb.MaxRequests),
                MaxRetries = Limit(cb.MaxRetries),
            };
        }

        if (cluster.Tls is { } tls)
        {
            config.Tls = new UpstreamTlsConfig
            {
                Enabled = true,
                Sni = tls.Sni ?? string.Empty,
                TrustedCaFile = tls.TrustedCaFile ?? string.Empty,
                TrustedCaPem = tls.TrustedCaPem ?? string.Empty,
            };
        }

        return config;
    }

    /// <summary>The API's 0 is "no limit"; a threshold the standalone file left unset reads as 0 too (Envoy's default applies).</summary>
    private static uint Limit(int? value) => value is null or CircuitBreakerSpec.NoLimit ? 0 : (uint)value.Value;
}
