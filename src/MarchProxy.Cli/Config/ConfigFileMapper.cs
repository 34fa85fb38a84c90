using MarchProxy.Api.V1;
using MarchProxy.Config;

namespace MarchProxy.Cli.Config;

/// <summary>
/// Maps a config file onto UpsertCluster and UpsertRoute requests, with the same meaning the ALB gives
/// the file (Destinations become endpoints, https:// turns upstream TLS on, Backends become weights).
/// The API checks the rest; this only reports what has no API form at all.
/// </summary>
public static class ConfigFileMapper
{
    private const string Root = ConfigFile.SectionName;

    public static DesiredConfig Map(ConfigFile file)
    {
        var result = new DesiredConfig();
        var proxy = file.Proxy ?? new FileProxySection();
        if (proxy.Listeners is { Count: > 0 })
        {
            result.Warnings.Add($"{Root}:Listeners is not applied: listeners come from the ALB's own config file (ALB_CONFIG_FILE), not from the API");
        }

        foreach (var (name, cluster) in proxy.Clusters ?? [])
        {
            var path = $"{Root}:Clusters:{name}";
            result.Sources[("cluster", name)] = path;
            if (cluster is null)
            {
                result.Violations.Add(new FileViolation(path, "must not be null"));
                continue;
            }

            result.Clusters.Add(MapCluster(path, name, cluster, result.Violations));
        }

        foreach (var (name, route) in proxy.Routes ?? [])
        {
            var path = $"{Root}:Routes:{name}";
            result.Sources[("route", name)] = path;
            if (route is null)
            {
                result.Violations.Add(new FileViolation(path, "must not be null"));
                continue;
            }

            if (route.Order != 0)
            {
                result.Warnings.Add($"{path}:Order is not applied: the API keeps a route's existing order");
            }

            result.Routes.Add(MapRoute(path, name, route, result.Violations));
        }

        return result;
    }

    private static RouteConfig MapRoute(string path, string name, FileRoute route, List<FileViolation> violations)
    {
        var match = route.Match ?? new FileRouteMatch();
        var config = new RouteConfig
        {
            Name = name,
            ClusterName = route.ClusterId ?? string.Empty,
            Path = match.ExactPath ?? string.Empty,
            Regex = match.Regex ?? string.Empty,
            TimeoutSeconds = route.Timeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : 0,
            Websocket = route.WebSocket,
            Enabled = route.Enabled,
        };

        if (match.Path is { } prefix)
        {
            // YARP's "/api/{**catch-all}" is the prefix "/api/".
            var braces = prefix.IndexOf("{**", StringComparison.Ordinal);
            config.Prefix = braces >= 0 && prefix.EndsWith('}') ? prefix[..braces] : prefix;
            config.Prefix = config.Prefix.Length == 0 ? "/" : config.Prefix;
        }
        else if (match.ExactPath is null && match.Regex is null)
        {
            config.Prefix = "/";
        }

        config.Hosts.AddRange(match.Hosts ?? []);
        config.HashPolicy.AddRange(HashPolicyMapper.Map($"{path}:HashPolicy", route.HashPolicy ?? [], violations));
        var headers = match.Headers ?? [];
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (string.IsNullOrEmpty(header?.Name) || config.Headers.ContainsKey(header.Name))
            {
                violations.Add(new FileViolation($"{path}:Match:Headers:{i}:Name", header?.Name is { Length: > 0 } n ? $"'{n}' is listed twice" : "is required"));
                continue;
            }

            config.Headers[header.Name] = header.Value ?? string.Empty;
        }

        if (route.Backends is { Count: > 0 } backends)
        {
            if (route.ClusterId is not null)
            {
                violations.Add(new FileViolation($"{path}:ClusterId", "set either ClusterId or Backends, not both"));
            }

            config.Weights.AddRange(backends.Select(b => new TrafficWeight { BackendName = b.Key, Weight = b.Value }));
        }

        if (route.RateLimit is { Enabled: true } limit)
        {
            config.RateLimit = new RateLimitConfig { RequestsPerSecond = limit.RequestsPerSecond, BurstSize = limit.Burst ?? 0, Enabled = true };
        }

        if (route.Retry is { } retry)
        {
            config.Retry = new RetryPolicy
            {
                RetryOn = retry.RetryOn ?? string.Empty,

                // The file's default is one retry; the API reads 0 as none.
                NumRetries = (uint)Math.Max(0, retry.NumRetries ?? 1),
                PerTryTimeoutMs = retry.PerTryTimeout is { } perTry ? (uint)perTry.TotalMilliseconds : 0,
            };
        }

        return config;
    }

    private static ClusterConfig MapCluster(string path, string name, FileCluster cluster, List<FileViolation> violations)
    {
        var config = new ClusterConfig
        {
            Name = name,
            LbPolicy = PolicyName(path, cluster.LoadBalancingPolicy, violations),
            ConnectTimeoutMs = Milliseconds(cluster.ConnectTimeout),
            Http2 = cluster.Http2,
        };

        var read = ClusterDestinations.Read(cluster, address => $"'{address}'");
        violations.AddRange(read.Errors.Select(e => new FileViolation($"{path}:{e.Field}", e.Message)));
        config.Endpoints.AddRange(read.Endpoints.Select(d => new Api.V1.Endpoint { Address = d.Host, Port = (uint)d.Port, Weight = (uint)Math.Max(0, d.Destination.Weight ?? 0) }));

        if (cluster.HealthCheck is { } check)
        {
            config.HealthCheck = new HealthCheckConfig
            {
                HttpPath = check.Path ?? string.Empty,
                IntervalMs = Milliseconds(check.Interval),
                TimeoutMs = Milliseconds(check.Timeout),
                HealthyThreshold = (uint)Math.Max(0, check.HealthyThreshold ?? 0),
                UnhealthyThreshold = (uint)Math.Max(0, check.UnhealthyThreshold ?? 0),
            };
        }

        if (cluster.OutlierDetection is { } outlier)
        {
            config.OutlierDetection = new OutlierDetectionConfig
            {
                Consecutive5Xx = (uint)Math.Max(0, outlier.Consecutive5xx ?? 0),
                IntervalMs = Milliseconds(outlier.Interval),
                BaseEjectionTimeMs = Milliseconds(outlier.BaseEjectionTime),
                MaxEjectionPercent = (uint)Math.Max(0, outlier.MaxEjectionPercent ?? 0),
            };
        }

        if (cluster.CircuitBreakers is { } breakers)
        {
            config.CircuitBreakers = new CircuitBreakerConfig
            {
                MaxConnections = (uint)Math.Max(0, breakers.MaxConnections ?? 0),
                MaxPendingRequests = (uint)Math.Max(0, breakers.MaxPendingRequests ?? 0),
                MaxRequests = (uint)Math.Max(0, breakers.MaxRequests ?? 0),
                MaxRetries = (uint)Math.Max(0, breakers.MaxRetries ?? 0),
            };
        }

        if (cluster.Tls is { } tls)
        {
            config.Tls = new UpstreamTlsConfig { Enabled = true, Sni = tls.Sni ?? read.TlsHost ?? string.Empty, TrustedCaFile = tls.TrustedCaFile ?? string.Empty, TrustedCaPem = tls.TrustedCaPem ?? string.Empty };
        }
        else if (read.Https)
        {
            config.Tls = new UpstreamTlsConfig { Enabled = true, Sni = read.TlsHost ?? string.Empty };
        }

        return config;
    }

    /// <summary>"RoundRobin" (the file's spelling) or "ROUND_ROBIN" (the API's) → the API's.</summary>
    private static string PolicyName(string path, string? policy, List<FileViolation> violations)
    {
        if (string.IsNullOrEmpty(policy))
        {
            return string.Empty;
        }

        var key = policy.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var name = key switch
        {
            "ROUNDROBIN" => "ROUND_ROBIN",
            "LEASTREQUEST" => "LEAST_REQUEST",
            "RANDOM" => "RANDOM",
            "RINGHASH" => "RING_HASH",
            "MAGLEV" => "MAGLEV",
            _ => null,
        };
        if (name is null)
        {
            violations.Add(new FileViolation($"{path}:LoadBalancingPolicy", $"must be RoundRobin, LeastRequest, Random, RingHash or Maglev, got '{policy}'"));
            return string.Empty;
        }

        return name;
    }

    private static uint Milliseconds(TimeSpan? value) => value is { } v ? (uint)Math.Max(0, v.TotalMilliseconds) : 0;
}
