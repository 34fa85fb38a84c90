using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>
/// Turns the standalone config into a desired state (version 0), checking every field and naming
/// each problem by its configuration path ("Proxy:Routes:api:Match:Path").
/// </summary>
public static partial class StandaloneConfigMapper
{
    private const string Root = StandaloneDocument.SectionName;

    public static (DesiredState? State, IReadOnlyList<FieldViolation> Violations) Map(StandaloneProxyConfig config, int defaultListenerPort)
    {
        var violations = new Violations();
        var state = DesiredState.Empty;

        foreach (var (name, listener) in config.Listeners ?? [])
        {
            var spec = MapListener($"{Root}:Listeners:{name}", name, listener, defaultListenerPort, violations);
            state = spec is null ? state : state.WithListener(spec);
        }

        foreach (var clash in state.Listeners.Values.GroupBy(l => (l.Address, l.Port)).Where(g => g.Count() > 1))
        {
            violations.Add($"{Root}:Listeners", $"listeners {string.Join(", ", clash.Select(l => l.Name))} all bind {clash.Key.Address}:{clash.Key.Port}");
        }

        foreach (var (name, cluster) in config.Clusters ?? [])
        {
            var spec = StandaloneClusterMapper.Map($"{Root}:Clusters:{name}", name, cluster, violations);
            state = spec is null ? state : state.WithCluster(spec);
        }

        var clusterNames = (config.Clusters ?? []).Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (name, route) in config.Routes ?? [])
        {
            var spec = MapRoute($"{Root}:Routes:{name}", name, route, clusterNames, violations);
            state = spec is null ? state : state.WithRoute(spec);
        }

        return violations.Count == 0 ? (state, []) : (null, violations.Items);
    }

    private static ListenerSpec? MapListener(string path, string name, StandaloneListener? listener, int defaultPort, Violations violations)
    {
        var before = violations.Count;
        violations.RequireName(path, name);
        listener ??= new StandaloneListener();
        var address = listener.Address ?? "0.0.0.0";
        if (!IPAddress.TryParse(address, out _))
        {
            violations.Add($"{path}:Address", $"must be an IP address, got '{address}'");
        }

        var port = listener.Port ?? defaultPort;
        violations.RequireRange($"{path}:Port", port, 1, 65535);

        ListenerTlsSpec? tls = null;
        if (listener.Tls is { } t)
        {
            if (string.IsNullOrWhiteSpace(t.CertificateFile))
            {
                violations.Add($"{path}:Tls:CertificateFile", "is required when Tls is set");
            }

            if (string.IsNullOrWhiteSpace(t.KeyFile))
            {
                violations.Add($"{path}:Tls:KeyFile", "is required when Tls is set");
            }

            tls = new ListenerTlsSpec
            {
                CertificateChain = DataSpec.FromFile(t.CertificateFile ?? string.Empty),
                PrivateKey = DataSpec.FromFile(t.KeyFile ?? string.Empty),
            };
        }

        return violations.Count > before ? null : new ListenerSpec { Name = name, Address = address, Port = port, Tls = tls };
    }

    private static RouteSpec? MapRoute(string path, string name, StandaloneRoute? route, HashSet<string> clusters, Violations violations)
    {
        var before = violations.Count;
        violations.RequireName(path, name);
        if (route is null)
        {
            violations.Add(path, "must not be null");
            return null;
        }

        var match = MapMatch($"{path}:Match", route.Match ?? new StandaloneRouteMatch(), violations);
        var backends = ImmutableArray<WeightedBackend>.Empty;
        if (route.Backends is { Count: > 0 })
        {
            if (route.ClusterId is not null)
            {
                violations.Add($"{path}:ClusterId", "set either ClusterId or Backends, not both");
            }

            backends = [.. route.Backends.Select(b => new WeightedBackend(b.Key, b.Value))];
            foreach (var backend in backends)
            {
                RequireCluster($"{path}:Backends:{backend.Cluster}", backend.Cluster, clusters, violations);
                violations.RequireRange($"{path}:Backends:{backend.Cluster}", backend.Weight, 0, ModelRules.MaxBackendWeight);
            }

            if (backends.Sum(b => (long)Math.Max(b.Weight, 0)) == 0)
            {
                violations.Add($"{path}:Backends", "the weights must sum to more than 0");
            }
        }
        else if (string.IsNullOrEmpty(route.ClusterId))
        {
            violations.Add($"{path}:ClusterId", "is required (or set Backends)");
        }
        else
        {
            RequireCluster($"{path}:ClusterId", route.ClusterId, clusters, violations);
        }

        var spec = new RouteSpec
        {
            Name = name,
            Match = match,
            Cluster = backends.IsEmpty ? route.ClusterId : null,
            Backends = backends,
            Timeout = route.Timeout,
            Retry = MapRetry($"{path}:Retry", route.Retry, violations),
            WebSocket = route.WebSocket,
            RateLimit = MapRateLimit($"{path}:RateLimit", route.RateLimit, violations),
            Enabled = route.Enabled,
            Order = route.Order,
        };
        return violations.Count > before ? null : spec;
    }

    private static RouteMatchSpec MapMatch(string path, StandaloneRouteMatch match, Violations violations)
    {
        var set = new[] { ("Path", match.Path), ("ExactPath", match.ExactPath), ("Regex", match.Regex) }.Where(m => m.Item2 is not null).ToList();
        foreach (var extra in set.Skip(1))
        {
            violations.Add($"{path}:{extra.Item1}", $"set only one of Path, ExactPath and Regex ({set[0].Item1} is already set)");
        }

        var prefix = match.Path is null ? null : CatchAll().Replace(match.Path, string.Empty);
        if (prefix is not null)
        {
            prefix = prefix.Length == 0 ? "/" : prefix;
            CheckPath($"{path}:Path", prefix, violations);
        }

        if (match.ExactPath is not null)
        {
            CheckPath($"{path}:ExactPath", match.ExactPath, violations);
        }

        if (match.Regex is not null && (match.Regex.Length == 0 ? "must not be empty" : ModelRules.CheckRegex(match.Regex)) is { } regexError)
        {
            violations.Add($"{path}:Regex", regexError);
        }

        var hosts = match.Hosts ?? [];
        for (var i = 0; i < hosts.Count; i++)
        {
            if (!ModelRules.IsValidHost(hosts[i]))
            {
                violations.Add($"{path}:Hosts:{i}", $"'{hosts[i]}' is not a valid host (e.g. example.com, *.example.com, *)");
            }
        }

        var headers = match.Headers ?? [];
        for (var i = 0; i < headers.Count; i++)
        {
            if (!ModelRules.IsValidHeaderName(headers[i].Name))
            {
                violations.Add($"{path}:Headers:{i}:Name", $"'{headers[i].Name}' is not a valid header name");
            }
        }

        return new RouteMatchSpec
        {
            PathPrefix = set.Count == 0 ? "/" : prefix,
            Path = match.ExactPath,
            Regex = match.Regex,
            Hosts = [.. hosts],
            Headers = [.. headers.Select(h => new HeaderMatchSpec(h.Name ?? string.Empty, h.Value ?? string.Empty))],
        };
    }

    private static void CheckPath(string path, string value, Violations violations)
    {
        if (!value.StartsWith('/'))
        {
            violations.Add(path, $"must start with '/', got '{value}'");
        }
        else if (value.Contains('{', StringComparison.Ordinal))
        {
            violations.Add(path, "route templates are not supported, except a trailing {**catch-all}");
        }
    }

    private static void RequireCluster(string path, string name, HashSet<string> clusters, Violations violations)
    {
        if (!clusters.Contains(name))
        {
            violations.Add(path, $"cluster '{name}' is not defined under {Root}:Clusters");
        }
    }

    private static RetryPolicySpec? MapRetry(string path, StandaloneRetry? retry, Violations violations)
    {
        if (retry is null)
        {
            return null;
        }

        var spec = new RetryPolicySpec();
        if (retry.RetryOn is not null)
        {
            var unknown = ModelRules.UnknownRetryConditions(retry.RetryOn);
            if (unknown.Count > 0)
            {
                violations.Add($"{path}:RetryOn", $"unknown conditions: {string.Join(", ", unknown)}");
            }

            spec = spec with { RetryOn = retry.RetryOn };
        }

        violations.RequireRange($"{path}:NumRetries", retry.NumRetries, 0, ModelRules.MaxRetries);
        violations.RequirePositive($"{path}:PerTryTimeout", retry.PerTryTimeout);
        return spec with { NumRetries = retry.NumRetries ?? spec.NumRetries, PerTryTimeout = retry.PerTryTimeout };
    }

    private static RateLimitSpec? MapRateLimit(string path, StandaloneRateLimit? rateLimit, Violations violations)
    {
        if (rateLimit is null || !rateLimit.Enabled)
        {
            return null;
        }

        violations.RequireRange($"{path}:RequestsPerSecond", rateLimit.RequestsPerSecond, 1, 1_000_000);
        violations.RequireRange($"{path}:Burst", rateLimit.Burst, 1, 1_000_000);
        return new RateLimitSpec(rateLimit.RequestsPerSecond, rateLimit.Burst ?? rateLimit.RequestsPerSecond);
    }

    [GeneratedRegex(@"\{\*\*[^}]*\}$")]
    private static partial Regex CatchAll();
}
