using System.Collections.Immutable;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;
using HashPolicy = MarchProxy.Api.V1.HashPolicy;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Maps the API's <see cref="RouteConfig"/> onto a <see cref="RouteSpec"/>. It only converts (proto3's
/// zero means "unset") and checks what the model cannot see (a path specifier is required, a hash key
/// names its kind); every value rule is the model validator's.
/// </summary>
public static class RouteRequestMapper
{
    /// <summary>The spec for <paramref name="route"/>, with the API-only problems in <paramref name="errors"/>; null when there is no route at all.</summary>
    public static RouteSpec? Map(RouteConfig? route, DesiredState current, List<FieldViolation> errors)
    {
        if (route is null)
        {
            errors.Add(new FieldViolation("route", "is required"));
            return null;
        }

        if (route.Prefix.Length == 0 && route.Path.Length == 0 && route.Regex.Length == 0)
        {
            errors.Add(new FieldViolation("route.prefix", "one of prefix, path and regex is required"));
        }

        var retry = route.Retry is { } r
            ? new RetryPolicySpec
            {
                RetryOn = r.RetryOn.Length > 0 ? r.RetryOn : new RetryPolicySpec().RetryOn,
                NumRetries = Saturate(r.NumRetries),
                PerTryTimeout = r.PerTryTimeoutMs == 0 ? null : TimeSpan.FromMilliseconds(r.PerTryTimeoutMs),
            }
            : null;

        return new RouteSpec
        {
            Name = route.Name,
            Match = new RouteMatchSpec
            {
                PathPrefix = NullIfEmpty(route.Prefix),
                Path = NullIfEmpty(route.Path),
                Regex = NullIfEmpty(route.Regex),
                Hosts = [.. route.Hosts],
                Headers = [.. route.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new HeaderMatchSpec(h.Key, h.Value))],
            },
            Cluster = NullIfEmpty(route.ClusterName),
            Backends = ToBackends(route.Weights),
            Timeout = route.TimeoutSeconds == 0 ? null : TimeSpan.FromSeconds(route.TimeoutSeconds),
            Retry = retry,
            WebSocket = route.Websocket,
            RateLimit = MapRateLimit(route.RateLimit),
            Enabled = route.Enabled,
            Order = current.Routes.GetValueOrDefault(route.Name)?.Order ?? 0,
            HashPolicies = MapHashPolicies(route.HashPolicy, errors),
        };
    }

    public static ImmutableArray<WeightedBackend> ToBackends(IEnumerable<TrafficWeight> weights) =>
        [.. weights.Select(w => new WeightedBackend(w.BackendName, w.Weight))];

    /// <summary>Null when the config is absent or disabled (that removes the limit); a burst of 0 means the rate.</summary>
    public static RateLimitSpec? MapRateLimit(RateLimitConfig? config) =>
        config is not { Enabled: true }
            ? null
            : new RateLimitSpec(config.RequestsPerSecond, config.BurstSize == 0 ? config.RequestsPerSecond : config.BurstSize);

    private static ImmutableArray<HashPolicySpec> MapHashPolicies(Google.Protobuf.Collections.RepeatedField<HashPolicy> policies, List<FieldViolation> errors)
    {
        var specs = ImmutableArray.CreateBuilder<HashPolicySpec>(policies.Count);
        for (var i = 0; i < policies.Count; i++)
        {
            var policy = policies[i];
            var kind = policy.KeyCase switch
            {
                HashPolicy.KeyOneofCase.Header => HashPolicyKind.Header,
                HashPolicy.KeyOneofCase.Cookie => HashPolicyKind.Cookie,
                HashPolicy.KeyOneofCase.SourceIp => HashPolicyKind.SourceIp,
                _ => (HashPolicyKind?)null,
            };
            if (kind is null)
            {
                // A placeholder keeps the later policies at their request index; the request is refused anyway.
                errors.Add(new FieldViolation($"route.hash_policy[{i}]", "set one of header, cookie and source_ip"));
                specs.Add(HashPolicySpec.SourceIp());
                continue;
            }

            specs.Add(new HashPolicySpec
            {
                Kind = kind.Value,
                Name = kind == HashPolicyKind.Header ? policy.Header : kind == HashPolicyKind.Cookie ? policy.Cookie : null,
                Terminal = policy.Terminal,
                CookieTtl = policy.CookieTtlSeconds == 0 ? null : TimeSpan.FromSeconds(policy.CookieTtlSeconds),
                CookiePath = NullIfEmpty(policy.CookiePath),
            });
        }

        return specs.ToImmutable();
    }

    internal static int Saturate(uint value) => (int)Math.Min(value, int.MaxValue);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
