namespace MarchProxy.ControlPlane.Model;

/// <summary>The route part of <see cref="ConfigValidator"/>: action, timeouts, retry, rate limit, hashing.</summary>
internal static class RouteValidation
{
    /// <summary>The retry_on conditions Envoy knows (HTTP and gRPC).</summary>
    public static readonly IReadOnlySet<string> RetryConditions = new HashSet<string>(StringComparer.Ordinal)
    {
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited",
        "retriable-4xx", "refused-stream", "retriable-status-codes", "retriable-headers",
        "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted",
        "unavailable",
    };

    public static void Validate(string path, string key, RouteSpec route, DesiredState state, ICollection<ValidationError> errors)
    {
        ConfigValidator.ValidateKey(path, key, route.Name, errors);
        RouteMatchValidation.Validate(path + ".match", route.Match, errors);
        ValidateAction(path, route, state, errors);
        ValidateDuration(path + ".timeout", route.Timeout, ModelLimits.MaxRouteTimeout, errors);
        ValidateRetry(path + ".retry", route.Retry, errors);
        ValidateRateLimit(path + ".rate_limit", route.RateLimit, errors);
        HashPolicyValidation.Validate(path + ".hash_policy", route.HashPolicies, errors);
    }

    public static void ValidateBackends(string path, IReadOnlyList<WeightedBackend?> backends, DesiredState state, ICollection<ValidationError> errors)
    {
        if (backends.Count > ModelLimits.MaxBackendsPerRoute)
        {
            errors.Add(new ValidationError(path, $"at most {ModelLimits.MaxBackendsPerRoute} backends (has {backends.Count})"));
            return;
        }

        var sum = 0L;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < backends.Count; i++)
        {
            var backendPath = ConfigValidator.Index(path, i);
            var backend = backends[i];
            if (backend is null)
            {
                errors.Add(new ValidationError(backendPath, "must not be null"));
                continue;
            }

            if (string.IsNullOrEmpty(backend.Cluster))
            {
                errors.Add(new ValidationError(backendPath + ".cluster", "is required"));
            }
            else if (!state.Clusters.ContainsKey(backend.Cluster))
            {
                errors.Add(new ValidationError(backendPath + ".cluster", $"cluster {ValidationText.Quote(backend.Cluster)} does not exist"));
            }
            else if (!names.Add(backend.Cluster))
            {
                errors.Add(new ValidationError(backendPath + ".cluster", $"cluster {ValidationText.Quote(backend.Cluster)} is listed twice"));
            }

            if (backend.Weight is < 0 or > ModelLimits.MaxBackendWeight)
            {
                errors.Add(new ValidationError(backendPath + ".weight", $"must be between 0 and {ModelLimits.MaxBackendWeight} (is {backend.Weight})"));
            }
            else
            {
                sum += backend.Weight;
            }
        }

        if (sum == 0)
        {
            errors.Add(new ValidationError(path, "the weights must add up to more than 0"));
        }
    }

    public static void ValidateRateLimit(string path, RateLimitSpec? limit, ICollection<ValidationError> errors)
    {
        if (limit is not { Enabled: true })
        {
            return;
        }

        if (limit.RequestsPerSecond is < 1 or > ModelLimits.MaxRequestsPerSecond)
        {
            errors.Add(new ValidationError(path + ".requests_per_second", $"must be between 1 and {ModelLimits.MaxRequestsPerSecond} (is {limit.RequestsPerSecond})"));
        }

        if (limit.Burst is < 1 or > ModelLimits.MaxRequestsPerSecond)
        {
            errors.Add(new ValidationError(path + ".burst", $"must be between 1 and {ModelLimits.MaxRequestsPerSecond} (is {limit.Burst})"));
        }
    }

    /// <summary>Null or between zero and <paramref name="max"/>.</summary>
    public static void ValidateDuration(string path, TimeSpan? value, TimeSpan max, ICollection<ValidationError> errors)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add(new ValidationError(path, "must not be negative"));
        }
        else if (value > max)
        {
            errors.Add(new ValidationError(path, $"must be at most {max} (is {value})"));
        }
    }

    private static void ValidateAction(string path, RouteSpec route, DesiredState state, ICollection<ValidationError> errors)
    {
        var backends = route.Backends.IsDefault ? [] : route.Backends;
        if (!backends.IsEmpty)
        {
            ValidateBackends(path + ".backends", backends, state, errors);

            // Unused while there are backends, but a route still keeps the cluster it names.
            if (route.Cluster is not null && !state.Clusters.ContainsKey(route.Cluster))
            {
                errors.Add(new ValidationError(path + ".cluster", $"cluster {ValidationText.Quote(route.Cluster)} does not exist"));
            }

            return;
        }

        if (string.IsNullOrEmpty(route.Cluster))
        {
            errors.Add(new ValidationError(path + ".cluster", "a route needs a cluster or weighted backends"));
        }
        else if (!state.Clusters.ContainsKey(route.Cluster))
        {
            errors.Add(new ValidationError(path + ".cluster", $"cluster {ValidationText.Quote(route.Cluster)} does not exist"));
        }
    }

    private static void ValidateRetry(string path, RetryPolicySpec? retry, ICollection<ValidationError> errors)
    {
        if (retry is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(retry.RetryOn) || retry.RetryOn.Length > ModelLimits.MaxRetryOnLength)
        {
            errors.Add(new ValidationError(path + ".retry_on", $"must be 1-{ModelLimits.MaxRetryOnLength} characters of comma-separated conditions"));
        }
        else
        {
            var unknown = retry.RetryOn.Split(',', StringSplitOptions.TrimEntries).Where(c => !RetryConditions.Contains(c)).Take(5).ToList();
            if (unknown.Count > 0)
            {
                errors.Add(new ValidationError(path + ".retry_on", $"unknown conditions: {string.Join(", ", unknown.Select(ValidationText.Quote))}"));
            }
        }

        if (retry.NumRetries is < 0 or > ModelLimits.MaxRetries)
        {
            errors.Add(new ValidationError(path + ".num_retries", $"must be between 0 and {ModelLimits.MaxRetries} (is {retry.NumRetries})"));
        }

        ValidateDuration(path + ".per_try_timeout", retry.PerTryTimeout, ModelLimits.MaxRouteTimeout, errors);
    }
}
