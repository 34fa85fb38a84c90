using System.Globalization;
using System.Net;
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

        var endpoints = new List<EndpointSpec>();
        var keys = new List<string>();
        var schemes = new HashSet<string>(StringComparer.Ordinal);
        string? tlsHost = null;
        foreach (var (destinationName, destination) in cluster.Destinations ?? [])
        {
            if (TryParseDestination(destination?.Address, out var scheme, out var host, out var port, out var error))
            {
                schemes.Add(scheme);
                tlsHost ??= scheme == "https" && Uri.CheckHostName(host) == UriHostNameType.Dns ? host : null;
                endpoints.Add(new EndpointSpec(host, port, destination!.Weight ?? 1));
                keys.Add(destinationName);
            }
            else
            {
                violations.Add(new FieldViolation($"{path}:Destinations:{destinationName}:Address", error));
            }
        }

        destinations = keys;
        if (schemes.Count > 1)
        {
            violations.Add(new FieldViolation($"{path}:Destinations", "mixes http:// and https:// destinations"));
        }

        if (!LoadBalancingPolicyNames.TryParse(cluster.LoadBalancingPolicy, out var policy))
        {
            violations.Add(new FieldViolation($"{path}:LoadBalancingPolicy", $"must be RoundRobin, LeastRequest, Random, RingHash or Maglev, got {ValidationText.Quote(cluster.LoadBalancingPolicy)}"));
        }

        var tls = cluster.Tls is { } t
            ? new UpstreamTlsSpec { Sni = t.Sni ?? tlsHost, TrustedCaFile = t.TrustedCaFile, TrustedCaPem = t.TrustedCaPem }
            : schemes.Contains("https") ? new UpstreamTlsSpec { Sni = tlsHost } : null;

        return new ClusterSpec
        {
            Name = name,
            Endpoints = [.. endpoints],
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

    /// <summary>Parses "http://host:port", "https://host", "host:port" or "[v6]:port" (the brackets are URL syntax and dropped).</summary>
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
            error = $"{ValidationText.Quote(address)} must look like http://10.0.0.5:8080, https://api.internal or 10.0.0.5:8080";
            return false;
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            error = $"{ValidationText.Quote(address)}: paths are not supported in a destination address";
            return false;
        }

        var explicitPort = address.TrimEnd('/').LastIndexOf(':') is var colon and > 0
            && int.TryParse(address.TrimEnd('/')[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
        if (!hasScheme && !explicitPort)
        {
            error = $"{ValidationText.Quote(address)} needs a port, e.g. {ValidationText.Quote(address + ":8080")}";
            return false;
        }

        scheme = uri.Scheme;
        host = uri.Host.Trim('[', ']');
        port = uri.Port;
        host = IPAddress.TryParse(host, out var ip) ? ip.ToString() : host;
        return true;
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
