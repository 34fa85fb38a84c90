namespace MarchProxy.ControlPlane.Model;

/// <summary>The cluster part of <see cref="ConfigValidator"/>.</summary>
internal static class ClusterValidation
{
    public const int MinEndpointWeight = 1;
    public const int MaxEndpointWeight = 128;

    public static void Validate(string path, string key, ClusterSpec cluster, List<ValidationError> errors)
    {
        ConfigValidator.ValidateKey(path, key, cluster.Name, errors);
        ValidateEndpoints(path, cluster, errors);
        ConfigValidator.ValidatePositive(path + ".connect_timeout", cluster.ConnectTimeout, errors);

        if (!Enum.IsDefined(cluster.LoadBalancing))
        {
            errors.Add(new ValidationError(path + ".lb_policy", $"unknown load-balancing policy {(int)cluster.LoadBalancing}"));
        }

        if (cluster.HealthCheck is { } hc)
        {
            var hcPath = path + ".health_check";
            ConfigValidator.ValidatePositive(hcPath + ".interval", hc.Interval, errors);
            ConfigValidator.ValidatePositive(hcPath + ".timeout", hc.Timeout, errors);
            AtLeast(hcPath + ".healthy_threshold", hc.HealthyThreshold, 1, errors);
            AtLeast(hcPath + ".unhealthy_threshold", hc.UnhealthyThreshold, 1, errors);
            if (!string.IsNullOrEmpty(hc.HttpPath) && !hc.HttpPath.StartsWith('/'))
            {
                errors.Add(new ValidationError(hcPath + ".http_path", $"'{hc.HttpPath}' must start with '/'"));
            }
        }

        if (cluster.OutlierDetection is { } od)
        {
            var odPath = path + ".outlier_detection";
            AtLeast(odPath + ".consecutive_5xx", od.Consecutive5xx, 1, errors);
            ConfigValidator.ValidatePositive(odPath + ".interval", od.Interval, errors);
            ConfigValidator.ValidatePositive(odPath + ".base_ejection_time", od.BaseEjectionTime, errors);
            if (od.MaxEjectionPercent is < 0 or > 100)
            {
                errors.Add(new ValidationError(odPath + ".max_ejection_percent", $"must be between 0 and 100 (is {od.MaxEjectionPercent})"));
            }
        }

        if (cluster.CircuitBreakers is { } cb)
        {
            var cbPath = path + ".circuit_breakers";
            AtLeast(cbPath + ".max_connections", cb.MaxConnections, 0, errors);
            AtLeast(cbPath + ".max_pending_requests", cb.MaxPendingRequests, 0, errors);
            AtLeast(cbPath + ".max_requests", cb.MaxRequests, 0, errors);
            AtLeast(cbPath + ".max_retries", cb.MaxRetries, 0, errors);
        }

        if (cluster.Tls is { } tls)
        {
            if (tls.Sni is not null && !HostAddress.IsHostname(tls.Sni))
            {
                errors.Add(new ValidationError(path + ".tls.sni", $"'{tls.Sni}' is not a hostname"));
            }

            if (tls.TrustedCaFile is not null && string.IsNullOrWhiteSpace(tls.TrustedCaFile))
            {
                errors.Add(new ValidationError(path + ".tls.trusted_ca_file", "must not be blank"));
            }
        }
    }

    private static void ValidateEndpoints(string path, ClusterSpec cluster, List<ValidationError> errors)
    {
        var endpoints = cluster.Endpoints.IsDefault ? [] : cluster.Endpoints;
        if (endpoints.IsEmpty)
        {
            errors.Add(new ValidationError(path + ".endpoints", "a cluster needs at least one endpoint"));
            return;
        }

        var seen = new HashSet<(string, int)>();
        for (var i = 0; i < endpoints.Length; i++)
        {
            var endpoint = endpoints[i];
            var epPath = ConfigValidator.Index(path, "endpoints", i);
            if (endpoint is null)
            {
                errors.Add(new ValidationError(epPath, "must not be null"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(endpoint.Address))
            {
                errors.Add(new ValidationError(epPath + ".address", "must not be empty"));
            }
            else if (!HostAddress.IsIpLiteral(endpoint.Address) && !HostAddress.IsHostname(endpoint.Address))
            {
                errors.Add(new ValidationError(epPath + ".address", $"'{endpoint.Address}' is neither an IP literal nor a hostname"));
            }

            ConfigValidator.ValidatePort(epPath + ".port", endpoint.Port, errors);

            if (endpoint.Weight is < MinEndpointWeight or > MaxEndpointWeight)
            {
                errors.Add(new ValidationError(epPath + ".weight", $"must be between {MinEndpointWeight} and {MaxEndpointWeight} (is {endpoint.Weight})"));
            }

            if (!string.IsNullOrEmpty(endpoint.Address)
                && !seen.Add((endpoint.Address.ToUpperInvariant(), endpoint.Port)))
            {
                errors.Add(new ValidationError(epPath, $"duplicate endpoint {endpoint.Address}:{endpoint.Port}"));
            }
        }
    }

    private static void AtLeast(string path, int? value, int minimum, List<ValidationError> errors)
    {
        if (value < minimum)
        {
            errors.Add(new ValidationError(path, $"must be at least {minimum} (is {value})"));
        }
    }
}
