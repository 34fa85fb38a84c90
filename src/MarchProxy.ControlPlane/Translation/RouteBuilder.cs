using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using Envoy.Type.Matcher.V3;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>Builds one <see cref="Route"/> from one <see cref="RouteSpec"/>.</summary>
internal static class RouteBuilder
{
    /// <summary>
    /// The Envoy route: match, cluster or weighted clusters, timeout, retry policy, WebSocket
    /// opt-in, the route's local rate limit in <c>typed_per_filter_config</c>, and the route name as
    /// <c>stat_prefix</c> so that Envoy keeps per-route stats under
    /// <c>vhost.&lt;virtual host&gt;.route.&lt;route name&gt;.</c> (read by the ALB's telemetry).
    /// </summary>
    public static Route ForEnvoy(RouteSpec spec)
    {
        var action = Action(spec);
        AddHashPolicies(action, spec, grpc: false);
        if (spec.Timeout is { } timeout)
        {
            action.Timeout = ProtoValues.Duration(timeout);
        }

        if (spec.Retry is { } retry)
        {
            action.RetryPolicy = new RetryPolicy
            {
                RetryOn = retry.RetryOn,
                NumRetries = (uint)retry.NumRetries,
            };
            if (retry.PerTryTimeout is { } perTry)
            {
                action.RetryPolicy.PerTryTimeout = ProtoValues.Duration(perTry);
            }
        }

        if (spec.WebSocket)
        {
            // The connection manager lists "websocket" as disabled; this route opts in.
            action.UpgradeConfigs.Add(new RouteAction.Types.UpgradeConfig { UpgradeType = XdsNames.WebSocket, Enabled = true });
        }

        var route = new Route { Name = spec.Name, Match = Match(spec.Match), Route_ = action, StatPrefix = spec.Name };
        if (spec.RateLimit is { Enabled: true } limit)
        {
            route.TypedPerFilterConfig.Add(XdsNames.LocalRateLimitFilter, Any.Pack(LocalRateLimit(spec.Name, limit)));
        }

        return route;
    }

    /// <summary>
    /// The proxyless gRPC route: the same match and split as for Envoy, with the timeout as
    /// <c>max_stream_duration</c> (what gRPC reads), and only the header hash keys (the only kind gRPC
    /// hashes on; cookies and client IPs do not exist there). No local rate limit (gRPC would NACK it), no
    /// retry policy (gRPC reads <c>retry_on</c> as gRPC status names, not Envoy's conditions), no
    /// WebSocket upgrade and no <c>stat_prefix</c> (gRPC keeps no per-route stats).
    /// </summary>
    public static Route ForGrpc(RouteSpec spec)
    {
        var action = Action(spec);
        AddHashPolicies(action, spec, grpc: true);
        if (spec.Timeout is { } timeout && timeout > TimeSpan.Zero)
        {
            action.MaxStreamDuration = new RouteAction.Types.MaxStreamDuration { MaxStreamDuration_ = ProtoValues.Duration(timeout) };
        }

        return new Route { Name = spec.Name, Match = Match(spec.Match), Route_ = action };
    }

    /// <summary>The per-route local rate limit: a token bucket with enabled and enforced at 100%.</summary>
    public static LocalRateLimit LocalRateLimit(string statPrefix, RateLimitSpec limit)
    {
        var bucket = TokenBucketMath.Compute(limit.RequestsPerSecond, limit.Burst);
        var (seconds, nanos) = bucket.FillInterval;
        return new LocalRateLimit
        {
            StatPrefix = statPrefix,
            TokenBucket = new Envoy.Type.V3.TokenBucket
            {
                MaxTokens = bucket.MaxTokens,
                TokensPerFill = bucket.TokensPerFill,
                FillInterval = ProtoValues.Duration(seconds, nanos),
            },
            FilterEnabled = ProtoValues.AllRequests(XdsNames.LocalRateLimitEnabledRuntimeKey),
            FilterEnforced = ProtoValues.AllRequests(XdsNames.LocalRateLimitEnforcedRuntimeKey),
        };
    }

    public static RouteMatch Match(RouteMatchSpec spec)
    {
        var match = new RouteMatch();
        if (spec.Path is { } path)
        {
            match.Path = path;
        }
        else if (spec.Regex is { } regex)
        {
            match.SafeRegex = new RegexMatcher { Regex = regex };
        }
        else
        {
            match.Prefix = spec.PathPrefix ?? "/";
        }

        if (!spec.Headers.IsDefaultOrEmpty)
        {
            foreach (var header in spec.Headers)
            {
                match.Headers.Add(new HeaderMatcher
                {
                    Name = header.Name,
                    StringMatch = new StringMatcher { Exact = header.Value },
                });
            }
        }

        return match;
    }

    private static void AddHashPolicies(RouteAction action, RouteSpec spec, bool grpc)
    {
        if (spec.HashPolicies.IsDefaultOrEmpty)
        {
            return;
        }

        foreach (var policy in spec.HashPolicies)
        {
            var hash = new RouteAction.Types.HashPolicy { Terminal = policy.Terminal };
            switch (policy.Kind)
            {
                case HashPolicyKind.Header:
                    hash.Header = new RouteAction.Types.HashPolicy.Types.Header { HeaderName = policy.Name };
                    break;
                case HashPolicyKind.Cookie when !grpc:
                    hash.Cookie = new RouteAction.Types.HashPolicy.Types.Cookie { Name = policy.Name, Path = policy.CookiePath ?? string.Empty };
                    if (policy.CookieTtl is { } ttl)
                    {
                        hash.Cookie.Ttl = ProtoValues.Duration(ttl);
                    }

                    break;
                case HashPolicyKind.SourceIp when !grpc:
                    hash.ConnectionProperties = new RouteAction.Types.HashPolicy.Types.ConnectionProperties { SourceIp = true };
                    break;
                default:
                    continue;
            }

            action.HashPolicy.Add(hash);
        }
    }

    private static RouteAction Action(RouteSpec spec)
    {
        if (spec.Backends.IsDefaultOrEmpty)
        {
            return new RouteAction { Cluster = spec.Cluster ?? string.Empty };
        }

        // total_weight is deprecated: clients use the sum of the weights.
        var weighted = new WeightedCluster();
        foreach (var backend in spec.Backends)
        {
            weighted.Clusters.Add(new WeightedCluster.Types.ClusterWeight { Name = backend.Cluster, Weight = (uint)backend.Weight });
        }

        return new RouteAction { WeightedClusters = weighted };
    }
}
