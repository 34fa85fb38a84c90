using System.Collections.Immutable;
using System.Text.RegularExpressions;
using MarchProxy.Config;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>
/// Turns the standalone config into a desired state (version 0). It converts the file's shapes (YARP's
/// catch-all paths, destination URLs, dictionaries of backends) and reports what only the file can get
/// wrong; every value rule is the model validator's, whose errors are named by their configuration
/// path ("Proxy:Routes:api:Match:Path"). TLS files are read when the file is loaded.
/// </summary>
public static partial class StandaloneConfigMapper
{
    private const string Root = ConfigFile.SectionName;

    /// <summary>At most this many problems are reported.</summary>
    public const int MaxReported = 20;

    public static (DesiredState? State, IReadOnlyList<FieldViolation> Violations) Map(
        FileProxySection config, int defaultListenerPort, ValidationOptions? options = null)
    {
        var violations = new List<FieldViolation>();
        var state = DesiredState.Empty;
        foreach (var (name, listener) in config.Listeners ?? [])
        {
            state = state.WithListener(MapListener(name, listener ?? new FileListener(), defaultListenerPort));
        }

        var destinationNames = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, cluster) in config.Clusters ?? [])
        {
            var spec = StandaloneClusterMapper.Map($"{Root}:Clusters:{name}", name, cluster, violations, out var destinations);
            destinationNames[name] = destinations;
            state = spec is null ? state : state.WithCluster(spec);
        }

        foreach (var (name, route) in config.Routes ?? [])
        {
            var spec = MapRoute($"{Root}:Routes:{name}", name, route, violations);
            state = spec is null ? state : state.WithRoute(spec);
        }

        // A problem the file's own shapes already named (a destination that does not parse) is not
        // reported again through its parent (a cluster without endpoints).
        var map = new StandaloneFieldMap(destinationNames);
        var shapeFields = violations.Select(v => v.Field).ToList();
        violations.AddRange(ConfigValidator.Validate(state, options ?? ValidationOptions.PushTime)
            .Select(e => new FieldViolation(map.Map(e.Path, state), e.Message))
            .Where(v => !shapeFields.Any(f => f.StartsWith(v.Field + ":", StringComparison.Ordinal))));
        if (violations.Count == 0)
        {
            return (state, []);
        }

        var reported = violations.Take(MaxReported).ToList();
        if (violations.Count > MaxReported)
        {
            reported.Add(new FieldViolation(Root, $"{violations.Count - MaxReported} more problems not listed"));
        }

        return (null, reported);
    }

    private static ListenerSpec MapListener(string name, FileListener listener, int defaultPort)
    {
        ListenerTlsSpec? tls = null;
        if (listener.Tls is { } t)
        {
            tls = new ListenerTlsSpec
            {
                CertificateChain = new DataSpec { FilePath = t.CertificateFile, Inline = t.CertificatePem },
                PrivateKey = new DataSpec { FilePath = t.KeyFile, Inline = t.KeyPem },
            };
        }

        return new ListenerSpec { Name = name, Address = listener.Address ?? "0.0.0.0", Port = listener.Port ?? defaultPort, Tls = tls };
    }

    private static RouteSpec? MapRoute(string path, string name, FileRoute? route, List<FieldViolation> violations)
    {
        if (route is null)
        {
            violations.Add(new FieldViolation(path, "must not be null"));
            return null;
        }

        var backends = ImmutableArray<WeightedBackend>.Empty;
        if (route.Backends is { Count: > 0 })
        {
            if (route.ClusterId is not null)
            {
                violations.Add(new FieldViolation($"{path}:ClusterId", "set either ClusterId or Backends, not both"));
            }

            backends = [.. route.Backends.Select(b => new WeightedBackend(b.Key, b.Value))];
        }

        var retry = route.Retry is { } r
            ? new RetryPolicySpec
            {
                RetryOn = r.RetryOn ?? new RetryPolicySpec().RetryOn,
                NumRetries = r.NumRetries ?? new RetryPolicySpec().NumRetries,
                PerTryTimeout = r.PerTryTimeout,
            }
            : null;

        return new RouteSpec
        {
            Name = name,
            Match = MapMatch($"{path}:Match", route.Match ?? new FileRouteMatch(), violations),
            Cluster = backends.IsEmpty ? route.ClusterId : null,
            Backends = backends,
            Timeout = route.Timeout,
            Retry = retry,
            WebSocket = route.WebSocket,
            RateLimit = route.RateLimit is { Enabled: true } limit
                ? new RateLimitSpec(limit.RequestsPerSecond, limit.Burst ?? limit.RequestsPerSecond)
                : null,
            Enabled = route.Enabled,
            Order = route.Order,
            HashPolicies = MapHashPolicies($"{path}:HashPolicy", route.HashPolicy ?? [], violations),
        };
    }

    private static RouteMatchSpec MapMatch(string path, FileRouteMatch match, List<FieldViolation> violations)
    {
        var prefix = match.Path is null ? null : CatchAll().Replace(match.Path, string.Empty);
        if (prefix is not null)
        {
            prefix = prefix.Length == 0 ? "/" : prefix;
            if (prefix.Contains('{', StringComparison.Ordinal))
            {
                violations.Add(new FieldViolation($"{path}:Path", "route templates are not supported, except a trailing {**catch-all}"));
            }
        }

        var set = new[] { match.Path, match.ExactPath, match.Regex }.Count(m => m is not null);
        return new RouteMatchSpec
        {
            PathPrefix = set == 0 ? "/" : prefix,
            Path = match.ExactPath,
            Regex = match.Regex,
            Hosts = [.. match.Hosts ?? []],
            Headers = [.. (match.Headers ?? []).Select(h => new HeaderMatchSpec(h?.Name ?? string.Empty, h?.Value ?? string.Empty))],
        };
    }

    private static ImmutableArray<HashPolicySpec> MapHashPolicies(string path, List<FileHashPolicy?> policies, List<FieldViolation> violations)
    {
        var specs = ImmutableArray.CreateBuilder<HashPolicySpec>(policies.Count);
        for (var i = 0; i < policies.Count; i++)
        {
            var policy = policies[i];
            if (!FileHashPolicy.HasOneKey(policy))
            {
                // A placeholder keeps the later policies at their index; the file is refused anyway.
                violations.Add(new FieldViolation($"{path}:{i}", FileHashPolicy.OneKeyRule));
                specs.Add(HashPolicySpec.SourceIp());
                continue;
            }

            specs.Add(new HashPolicySpec
            {
                Kind = policy.Header is not null ? HashPolicyKind.Header : policy.Cookie is not null ? HashPolicyKind.Cookie : HashPolicyKind.SourceIp,
                Name = policy.Header ?? policy.Cookie,
                Terminal = policy.Terminal,
                CookieTtl = policy.CookieTtl,
                CookiePath = policy.CookiePath,
            });
        }

        return specs.ToImmutable();
    }

    [GeneratedRegex(@"\{\*\*[^}]*\}$")]
    private static partial Regex CatchAll();
}
