using System.Globalization;
using System.Net;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>Maps one standalone cluster (Destinations and policies) onto a <see cref="ClusterSpec"/>.</summary>
internal static class StandaloneClusterMapper
{
    public static ClusterSpec? Map(string path, string name, StandaloneCluster? cluster, Violations violations)
    {
        var before = violations.Count;
        violations.RequireName(path, name);
        if (cluster is null)
        {
            violations.Add(path, "must not be null");
            return null;
        }

        var endpoints = new List<EndpointSpec>();
        var schemes = new HashSet<string>(StringComparer.Ordinal);
        string? tlsHost = null;
        foreach (var (destinationName, destination) in cluster.Destinations ?? [])
        {
            var destinationPath = $"{path}:Destinations:{destinationName}";
            if (TryParseDestination(destination?.Address, out var scheme, out var host, out var port, out var error))
            {
                schemes.Add(scheme);
                tlsHost ??= scheme == "https" && Uri.CheckHostName(host) == UriHostNameType.Dns ? host : null;
                violations.RequireRange($"{destinationPath}:Weight", destination!.Weight, ModelRules.MinEndpointWeight, ModelRules.MaxEndpointWeight);
                endpoints.Add(new EndpointSpec(host, port, destination.Weight ?? 1));
            }
            else
            {
                violations.Add($"{destinationPath}:Address", error);
            }
        }

        if (cluster.Destinations is not { Count: > 0 })
        {
            violations.Add($"{path}:Destinations", "a cluster needs at least one destination");
        }

        if (schemes.Count > 1)
        {
            violations.Add($"{path}:Destinations", "mixes http:// and https:// destinations");
        }

        if (!ModelRules.TryParseLoadBalancing(cluster.LoadBalancingPolicy, out var policy))
        {
            violations.Add($"{path}:LoadBalancingPolicy", $"must be RoundRobin, LeastRequest, Random, RingHash or Maglev, got '{cluster.LoadBalancingPolicy}'");
        }

        violations.RequirePositive($"{path}:ConnectTimeout", cluster.ConnectTimeout);
        var tls = cluster.Tls is { } t
            ? new UpstreamTlsSpec { Sni = t.Sni ?? tlsHost, TrustedCaFile = t.TrustedCaFile }
            : schemes.Contains("https") ? new UpstreamTlsSpec { Sni = tlsHost } : null;

        var spec = new ClusterSpec
        {
            Name = name,
            Endpoints = [.. endpoints],
            LoadBalancing = policy,
            ConnectTimeout = cluster.ConnectTimeout ?? TimeSpan.FromSeconds(5),
            Http2 = cluster.Http2,
            HealthCheck = MapHealthCheck($"{path}:HealthCheck", cluster.HealthCheck, violations),
            OutlierDetection = MapOutlierDetection($"{path}:OutlierDetection", cluster.OutlierDetection, violations),
            CircuitBreakers = MapCircuitBreakers($"{path}:CircuitBreakers", cluster.CircuitBreakers, violations),
            Tls = tls,
        };
        return violations.Count > before ? null : spec;
    }

    /// <summary>Parses "http://host:port", "https://host", "host:port" or "[v6]:port".</summary>
    public static bool TryParseDestination(string? address, out string scheme, out string host, out int port, out string error)
    {
        scheme = "http";
        host = string.Empty;
        port = 0;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(address))
        {
            error = "is required";
            return false;
        }

        var hasScheme = address.Contains("://", StringComparison.Ordinal);
        if (!Uri.TryCreate(hasScheme ? address : "http://" + address, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"'{address}' must look like http://10.0.0.5:8080, https://api.internal or 10.0.0.5:8080";
            return false;
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            error = $"'{address}': paths are not supported in a destination address";
            return false;
        }

        var explicitPort = address.TrimEnd('/').LastIndexOf(':') is var colon and > 0
            && int.TryParse(address.TrimEnd('/')[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
        if (!hasScheme && !explicitPort)
        {
            error = $"'{address}' needs a port, e.g. {address}:8080";
            return false;
        }

        scheme = uri.Scheme;
        host = uri.Host.Trim('[', ']');
        port = uri.Port;
        if (!ModelRules.IsValidAddress(host) || port is < 1 or > 65535)
        {
            error = $"'{address}' has no valid host and port";
            return false;
        }

        host = IPAddress.TryParse(host, out var ip) ? ip.ToString() : host;
        return true;
    }

    private static HealthCheckSpec? MapHealthCheck(string path, StandaloneHealthCheck? check, Violations violations)
    {
        if (check is null)
        {
            return null;
        }

        if (check.Path is { } p && !p.StartsWith('/'))
        {
            violations.Add($"{path}:Path", $"must start with '/', got '{p}'");
        }

        violations.RequirePositive($"{path}:Interval", check.Interval);
        violations.RequirePositive($"{path}:Timeout", check.Timeout);
        violations.RequireRange($"{path}:HealthyThreshold", check.HealthyThreshold, 1, 100);
        violations.RequireRange($"{path}:UnhealthyThreshold", check.UnhealthyThreshold, 1, 100);
        var spec = new HealthCheckSpec { HttpPath = string.IsNullOrEmpty(check.Path) ? null : check.Path };
        return spec with
        {
            Interval = check.Interval ?? spec.Interval,
            Timeout = check.Timeout ?? spec.Timeout,
            HealthyThreshold = check.HealthyThreshold ?? spec.HealthyThreshold,
            UnhealthyThreshold = check.UnhealthyThreshold ?? spec.UnhealthyThreshold,
        };
    }

    private static OutlierDetectionSpec? MapOutlierDetection(string path, StandaloneOutlierDetection? outlier, Violations violations)
    {
        if (outlier is null)
        {
            return null;
        }

        violations.RequireRange($"{path}:Consecutive5xx", outlier.Consecutive5xx, 1, 1000);
        violations.RequirePositive($"{path}:Interval", outlier.Interval);
        violations.RequirePositive($"{path}:BaseEjectionTime", outlier.BaseEjectionTime);
        violations.RequireRange($"{path}:MaxEjectionPercent", outlier.MaxEjectionPercent, 0, 100);
        var spec = new OutlierDetectionSpec();
        return spec with
        {
            Consecutive5xx = outlier.Consecutive5xx ?? spec.Consecutive5xx,
            Interval = outlier.Interval ?? spec.Interval,
            BaseEjectionTime = outlier.BaseEjectionTime ?? spec.BaseEjectionTime,
            MaxEjectionPercent = outlier.MaxEjectionPercent ?? spec.MaxEjectionPercent,
        };
    }

    private static CircuitBreakerSpec? MapCircuitBreakers(string path, StandaloneCircuitBreakers? breakers, Violations violations)
    {
        if (breakers is null)
        {
            return null;
        }

        violations.RequireRange($"{path}:MaxConnections", breakers.MaxConnections, 1, int.MaxValue);
        violations.RequireRange($"{path}:MaxPendingRequests", breakers.MaxPendingRequests, 1, int.MaxValue);
        violations.RequireRange($"{path}:MaxRequests", breakers.MaxRequests, 1, int.MaxValue);
        violations.RequireRange($"{path}:MaxRetries", breakers.MaxRetries, 0, int.MaxValue);
        return new CircuitBreakerSpec
        {
            MaxConnections = breakers.MaxConnections,
            MaxPendingRequests = breakers.MaxPendingRequests,
            MaxRequests = breakers.MaxRequests,
            MaxRetries = breakers.MaxRetries,
        };
    }
}
