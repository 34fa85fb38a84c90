namespace MarchProxy.ControlPlane.Model;

/// <summary>The cluster part of <see cref="ConfigValidator"/>.</summary>
internal static class ClusterValidation
{
    public static void Validate(string path, string key, ClusterSpec cluster, ValidationOptions options, ICollection<ValidationError> errors)
    {
        ConfigValidator.ValidateKey(path, key, cluster.Name, errors);
        ValidateEndpoints(path + ".endpoints", cluster.Endpoints.IsDefault ? [] : cluster.Endpoints, errors);
        ValidateInterval(path + ".connect_timeout", cluster.ConnectTimeout, errors);

        if (!Enum.IsDefined(cluster.LoadBalancing))
        {
            errors.Add(new ValidationError(path + ".lb_policy", $"unknown load-balancing policy {(int)cluster.LoadBalancing}"));
        }

        if (cluster.HealthCheck is { } hc)
        {
            var hcPath = path + ".health_check";
            ValidateInterval(hcPath + ".interval", hc.Interval, errors);
            ValidateInterval(hcPath + ".timeout", hc.Timeout, errors);
            Range(hcPath + ".healthy_threshold", hc.HealthyThreshold, 1, ModelLimits.MaxHealthThreshold, errors);
            Range(hcPath + ".unhealthy_threshold", hc.UnhealthyThreshold, 1, ModelLimits.MaxHealthThreshold, errors);
            if (!string.IsNullOrEmpty(hc.HttpPath))
            {
                RouteMatchValidation.ValidatePath(hcPath + ".http_path", hc.HttpPath, errors);
            }
        }

        if (cluster.OutlierDetection is { } od)
        {
            var odPath = path + ".outlier_detection";
            Range(odPath + ".consecutive_5xx", od.Consecutive5xx, 1, ModelLimits.MaxConsecutive5xx, errors);
            ValidateInterval(odPath + ".interval", od.Interval, errors);
            ValidateInterval(odPath + ".base_ejection_time", od.BaseEjectionTime, errors);
            Range(odPath + ".max_ejection_percent", od.MaxEjectionPercent, 0, 100, errors);
        }

        if (cluster.CircuitBreakers is { } cb)
        {
            // 0 would refuse every connection or request; a retry budget of 0 is a real setting.
            var cbPath = path + ".circuit_breakers";
            Range(cbPath + ".max_connections", cb.MaxConnections, 1, CircuitBreakerSpec.NoLimit, errors);
            Range(cbPath + ".max_pending_requests", cb.MaxPendingRequests, 1, CircuitBreakerSpec.NoLimit, errors);
            Range(cbPath + ".max_requests", cb.MaxRequests, 1, CircuitBreakerSpec.NoLimit, errors);
            Range(cbPath + ".max_retries", cb.MaxRetries, 0, CircuitBreakerSpec.NoLimit, errors);
        }

        if (cluster.Tls is { } tls)
        {
            var tlsPath = path + ".tls";
            if (tls.Sni is not null && (tls.Sni.Length > ModelLimits.MaxSniLength || !HostAddress.IsHostname(tls.Sni)))
            {
                errors.Add(new ValidationError(tlsPath + ".sni", $"{ValidationText.Quote(tls.Sni)} is not a hostname"));
            }

            if (tls.TrustedCaFile is not null && tls.TrustedCaPem is not null)
            {
                errors.Add(new ValidationError(tlsPath + ".trusted_ca_pem", "set either trusted_ca_file or trusted_ca_pem, not both"));
            }

            TlsValidation.ValidateFile(tlsPath + ".trusted_ca_file", tls.TrustedCaFile, PemKind.Certificate, options, errors);
            TlsValidation.ValidateInline(tlsPath + ".trusted_ca_pem", tls.TrustedCaPem, PemKind.Certificate, errors);
        }
    }

    private static void ValidateEndpoints(string path, IReadOnlyList<EndpointSpec?> endpoints, ICollection<ValidationError> errors)
    {
        if (endpoints.Count == 0)
        {
            errors.Add(new ValidationError(path, "a cluster needs at least one endpoint"));
            return;
        }

        if (endpoints.Count > ModelLimits.MaxEndpointsPerCluster)
        {
            errors.Add(new ValidationError(path, $"at most {ModelLimits.MaxEndpointsPerCluster} endpoints (has {endpoints.Count})"));
            return;
        }

        var seen = new HashSet<(string, int)>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            var epPath = ConfigValidator.Index(path, i);
            if (endpoint is null)
            {
                errors.Add(new ValidationError(epPath, "must not be null"));
                continue;
            }

            if (HostAddress.Problem(endpoint.Address) is { } problem)
            {
                errors.Add(new ValidationError(epPath + ".address", problem));
            }

            ConfigValidator.ValidatePort(epPath + ".port", endpoint.Port, errors);
            Range(epPath + ".weight", endpoint.Weight, ModelLimits.MinEndpointWeight, ModelLimits.MaxEndpointWeight, errors);

            if (!string.IsNullOrEmpty(endpoint.Address) && !seen.Add((endpoint.Address.ToUpperInvariant(), endpoint.Port)))
            {
                errors.Add(new ValidationError(epPath, $"duplicate endpoint {ValidationText.Quote(endpoint.Address)}:{endpoint.Port}"));
            }
        }
    }

    private static void ValidateInterval(string path, TimeSpan value, ICollection<ValidationError> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(new ValidationError(path, "must be greater than zero"));
        }
        else if (value > ModelLimits.MaxClusterInterval)
        {
            errors.Add(new ValidationError(path, $"must be at most {ModelLimits.MaxClusterInterval} (is {value})"));
        }
    }

    private static void Range(string path, int? value, int minimum, int maximum, ICollection<ValidationError> errors)
    {
        if (value < minimum || value > maximum)
        {
            errors.Add(new ValidationError(path, $"must be between {minimum} and {maximum} (is {value})"));
        }
    }
}
