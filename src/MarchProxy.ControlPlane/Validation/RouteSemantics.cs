using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using MarchProxy.ControlPlane.Re2;

namespace MarchProxy.ControlPlane.Validation;

/// <summary>Envoy's and gRPC's checks on routes and virtual hosts beyond the proto annotations.</summary>
internal static class RouteSemantics
{
    /// <summary>Envoy's floor for a local rate limit's fill interval.</summary>
    public static readonly TimeSpan MinFillInterval = TimeSpan.FromMilliseconds(50);

    private const string LocalRateLimitFilter = "envoy.filters.http.local_ratelimit";

    public static void CheckRoute(Route route, bool grpc, List<EnvoyFinding> findings)
    {
        if (route.Match?.SafeRegex is { } regex)
        {
            // Envoy refuses a regex RE2 refuses, or one whose program is over re2.max_program_size (100).
            var verdict = Re2Syntax.Check(regex.Regex);
            if (!verdict.IsValid)
            {
                findings.Add(new EnvoyFinding("match.safe_regex.regex", verdict.Message));
            }
        }

        if (route.Route_ is { } action)
        {
            CheckAction(action, grpc, findings);
        }
        else if (grpc)
        {
            findings.Add(new EnvoyFinding("action", "gRPC clients only take a route action"));
        }

        foreach (var (name, config) in route.TypedPerFilterConfig)
        {
            if (grpc && config.TypeUrl != "type.googleapis.com/envoy.config.route.v3.FilterConfig")
            {
                findings.Add(new EnvoyFinding($"typed_per_filter_config[{name}]", "gRPC clients refuse per-route config for filters they do not know"));
            }
            else if (name == LocalRateLimitFilter && config.TryUnpack<LocalRateLimit>(out var limit))
            {
                CheckTokenBucket(limit, $"typed_per_filter_config[{name}]", findings);
            }
        }
    }

    /// <summary>Envoy refuses a domain listed twice in a route configuration, or more than one "*".</summary>
    public static void CheckDomains(IReadOnlyList<VirtualHost> virtualHosts, List<EnvoyFinding> findings)
    {
        var domains = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var v = 0; v < virtualHosts.Count; v++)
        {
            var virtualHost = virtualHosts[v];
            if (!names.Add(virtualHost.Name))
            {
                findings.Add(new EnvoyFinding($"virtual_hosts[{v}].name", $"virtual host '{virtualHost.Name}' appears twice"));
            }

            for (var d = 0; d < virtualHost.Domains.Count; d++)
            {
                var domain = virtualHost.Domains[d];
                var path = $"virtual_hosts[{v}].domains[{d}]";
                if (!domains.Add(domain))
                {
                    findings.Add(new EnvoyFinding(path, $"domain '{domain}' appears in more than one virtual host"));
                }

                var stars = domain.Count(c => c == '*');
                if (stars > 1 || (stars == 1 && domain != "*" && domain[0] != '*' && domain[^1] != '*'))
                {
                    findings.Add(new EnvoyFinding(path, $"domain '{domain}' may hold one '*', at its start or end"));
                }
            }
        }
    }

    private static void CheckAction(RouteAction action, bool grpc, List<EnvoyFinding> findings)
    {
        if (action.WeightedClusters is { } weighted)
        {
            ulong sum = 0;
            for (var i = 0; i < weighted.Clusters.Count; i++)
            {
                var cluster = weighted.Clusters[i];
                if (string.IsNullOrEmpty(cluster.Name))
                {
                    findings.Add(new EnvoyFinding($"route.weighted_clusters.clusters[{i}].name", "a weighted cluster needs a name"));
                }

                sum += cluster.Weight ?? 0;
            }

            if (sum == 0 || sum > uint.MaxValue)
            {
                findings.Add(new EnvoyFinding("route.weighted_clusters", $"the sum of the weights must be above 0 and at most {uint.MaxValue} (is {sum})"));
            }
        }

        if (grpc && action.ClusterSpecifierCase is not (RouteAction.ClusterSpecifierOneofCase.Cluster or RouteAction.ClusterSpecifierOneofCase.WeightedClusters))
        {
            findings.Add(new EnvoyFinding("route", "gRPC clients only route to a cluster or weighted clusters"));
        }

        for (var i = 0; i < action.HashPolicy.Count; i++)
        {
            if (grpc && action.HashPolicy[i].PolicySpecifierCase != RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.Header)
            {
                findings.Add(new EnvoyFinding($"route.hash_policy[{i}]", "gRPC clients only hash on headers"));
            }
        }

        var upgrades = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < action.UpgradeConfigs.Count; i++)
        {
            if (!upgrades.Add(action.UpgradeConfigs[i].UpgradeType))
            {
                findings.Add(new EnvoyFinding($"route.upgrade_configs[{i}]", $"upgrade '{action.UpgradeConfigs[i].UpgradeType}' is listed twice"));
            }
        }
    }

    private static void CheckTokenBucket(LocalRateLimit limit, string path, List<EnvoyFinding> findings)
    {
        if (limit.TokenBucket is not { } bucket)
        {
            findings.Add(new EnvoyFinding(path + ".token_bucket", "a per-route local rate limit needs a token bucket"));
            return;
        }

        if (bucket.FillInterval is { } interval && interval.ToTimeSpan() < MinFillInterval)
        {
            findings.Add(new EnvoyFinding(path + ".token_bucket.fill_interval", $"must be at least 50 ms (is {interval.ToTimeSpan().TotalMilliseconds} ms)"));
        }

        if ((bucket.TokensPerFill ?? 1) > bucket.MaxTokens)
        {
            // Envoy caps every fill at max_tokens, which would silently lower the rate.
            findings.Add(new EnvoyFinding(path + ".token_bucket.tokens_per_fill", $"is above max_tokens ({bucket.MaxTokens}), which lowers the rate"));
        }
    }
}
