using System.Collections.Immutable;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Maps the API's <see cref="RouteConfig"/> onto a <see cref="RouteSpec"/>, checking every field
/// against the current state and naming each bad one by its request path.
/// </summary>
public static class RouteRequestMapper
{
    public const int MaxTimeoutSeconds = 86_400;
    public const int MaxRequestsPerSecond = 1_000_000;

    public static RouteSpec? Map(string field, RouteConfig? route, DesiredState current, FieldErrors errors)
    {
        if (route is null)
        {
            errors.Add(field, "is required");
            return null;
        }

        var before = errors.Count;
        errors.RequireName($"{field}.name", route.Name);
        var match = MapMatch(field, route, errors);

        if (route.Weights.Count > 0)
        {
            CheckWeights($"{field}.weights", route.Weights, current, errors);
            if (route.ClusterName.Length > 0)
            {
                RequireCluster($"{field}.cluster_name", route.ClusterName, current, errors);
            }
        }
        else if (route.ClusterName.Length == 0)
        {
            errors.Add($"{field}.cluster_name", "is required (or set weights)");
        }
        else
        {
            RequireCluster($"{field}.cluster_name", route.ClusterName, current, errors);
        }

        errors.RequireRange($"{field}.timeout_seconds", route.TimeoutSeconds, 0, MaxTimeoutSeconds);
        var rateLimit = MapRateLimit($"{field}.rate_limit", route.RateLimit, errors);
        var retry = MapRetry($"{field}.retry", route.Retry, errors);
        if (errors.Count > before)
        {
            return null;
        }

        var existing = current.Routes.GetValueOrDefault(route.Name);
        return new RouteSpec
        {
            Name = route.Name,
            Match = match,
            Cluster = route.ClusterName.Length == 0 ? null : route.ClusterName,
            Backends = ToBackends(route.Weights),
            Timeout = route.TimeoutSeconds == 0 ? null : TimeSpan.FromSeconds(route.TimeoutSeconds),
            Retry = retry,
            WebSocket = route.Websocket,
            RateLimit = rateLimit,
            Enabled = route.Enabled,
            Order = existing?.Order ?? 0,
        };
    }

    /// <summary>Checks a list of weights: existing, distinct clusters; 0-1000 each; a positive sum.</summary>
    public static void CheckWeights(string field, IReadOnlyList<TrafficWeight> weights, DesiredState current, FieldErrors errors)
    {
        if (weights.Count == 0)
        {
            errors.Add(field, "at least one weight is required");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        long sum = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var weight = weights[i];
            var backendField = $"{field}[{i}].backend_name";
            if (weight.BackendName.Length == 0)
            {
                errors.Add(backendField, "is required");
            }
            else if (!current.Clusters.ContainsKey(weight.BackendName))
            {
                errors.Add(backendField, $"cluster '{weight.BackendName}' does not exist");
            }
            else if (!seen.Add(weight.BackendName))
            {
                errors.Add(backendField, $"cluster '{weight.BackendName}' is listed twice");
            }

            errors.RequireRange($"{field}[{i}].weight", weight.Weight, 0, ModelRules.MaxBackendWeight);
            sum += Math.Max(weight.Weight, 0);
        }

        if (sum == 0)
        {
            errors.Add(field, "the weights must sum to more than 0");
        }
    }

    public static ImmutableArray<WeightedBackend> ToBackends(IEnumerable<TrafficWeight> weights) =>
        [.. weights.Select(w => new WeightedBackend(w.BackendName, w.Weight))];

    /// <summary>Null when the config is absent or disabled (that removes the limit).</summary>
    public static RateLimitSpec? MapRateLimit(string field, RateLimitConfig? config, FieldErrors errors)
    {
        if (config is null || !config.Enabled)
        {
            return null;
        }

        errors.RequireRange($"{field}.requests_per_second", config.RequestsPerSecond, 1, MaxRequestsPerSecond);
        errors.RequireRange($"{field}.burst_size", config.BurstSize, 0, MaxRequestsPerSecond);
        var burst = config.BurstSize == 0 ? config.RequestsPerSecond : config.BurstSize;
        return new RateLimitSpec(config.RequestsPerSecond, burst);
    }

    private static RouteMatchSpec MapMatch(string field, RouteConfig route, FieldErrors errors)
    {
        var given = new[] { ("prefix", route.Prefix), ("path", route.Path), ("regex", route.Regex) }
            .Where(m => m.Item2.Length > 0)
            .ToList();
        if (given.Count == 0)
        {
            errors.Add($"{field}.prefix", "one of prefix, path and regex is required");
        }

        foreach (var extra in given.Skip(1))
        {
            errors.Add($"{field}.{extra.Item1}", $"set only one of prefix, path and regex ({given[0].Item1} is already set)");
        }

        foreach (var (name, value) in given.Where(g => g.Item1 != "regex"))
        {
            if (!value.StartsWith('/'))
            {
                errors.Add($"{field}.{name}", $"must start with '/', got '{value}'");
            }
        }

        if (route.Regex.Length > 0 && ModelRules.CheckRegex(route.Regex) is { } regexError)
        {
            errors.Add($"{field}.regex", regexError);
        }

        for (var i = 0; i < route.Hosts.Count; i++)
        {
            if (!ModelRules.IsValidHost(route.Hosts[i]))
            {
                errors.Add($"{field}.hosts[{i}]", $"'{route.Hosts[i]}' is not a valid host (e.g. example.com, *.example.com, *)");
            }
        }

        foreach (var name in route.Headers.Keys.Where(n => !ModelRules.IsValidHeaderName(n)))
        {
            errors.Add($"{field}.headers[{name}]", $"'{name}' is not a valid header name");
        }

        return new RouteMatchSpec
        {
            PathPrefix = NullIfEmpty(route.Prefix),
            Path = NullIfEmpty(route.Path),
            Regex = NullIfEmpty(route.Regex),
            Hosts = [.. route.Hosts],
            Headers = [.. route.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new HeaderMatchSpec(h.Key, h.Value))],
        };
    }

    private static RetryPolicySpec? MapRetry(string field, RetryPolicy? retry, FieldErrors errors)
    {
        if (retry is null)
        {
            return null;
        }

        var spec = new RetryPolicySpec();
        if (retry.RetryOn.Length > 0)
        {
            var unknown = ModelRules.UnknownRetryConditions(retry.RetryOn);
            if (unknown.Count > 0)
            {
                errors.Add($"{field}.retry_on", $"unknown conditions: {string.Join(", ", unknown)}");
            }

            spec = spec with { RetryOn = retry.RetryOn };
        }

        errors.RequireRange($"{field}.num_retries", retry.NumRetries, 0, ModelRules.MaxRetries);
        return spec with
        {
            NumRetries = (int)Math.Min(retry.NumRetries, int.MaxValue),
            PerTryTimeout = retry.PerTryTimeoutMs == 0 ? null : TimeSpan.FromMilliseconds(retry.PerTryTimeoutMs),
        };
    }

    private static void RequireCluster(string field, string name, DesiredState current, FieldErrors errors)
    {
        if (!current.Clusters.ContainsKey(name))
        {
            errors.Add(field, $"cluster '{name}' does not exist");
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
