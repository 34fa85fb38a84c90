using System.Collections.Immutable;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ResourceDump;

/// <summary>
/// Random desired states that use every feature the translators have, each state valid for the
/// model validator. <see cref="Features"/> names what a state uses, so the walk can prove coverage.
/// </summary>
internal sealed class RandomStates(int seed)
{
    private const string Certificate = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
    private const string Key = "-----BEGIN EC PRIVATE KEY-----\nMHcfake\n-----END EC PRIVATE KEY-----\n";

    private static readonly string[] Regexes =
    [
        "/api/v[0-9]+/.*", "^/assets/.+\\.(css|js)$", "/(?P<tenant>[a-z]+)/orders/[0-9]+", "(?i)/Health(z)?",
        "/users/[^/]+/posts/[^/]+", "/\\x{41}bc", "/[a-f0-9]{8}-[a-f0-9]{4}", "/files/.*\\.(png|jpe?g)",
    ];

    private static readonly string[] RetryOns = ["5xx", "5xx,connect-failure", "reset,retriable-4xx", "unavailable,cancelled", "gateway-error"];

    private readonly Random _random = new(seed);

    public SortedSet<string> Features { get; } = new(StringComparer.Ordinal);

    public DesiredState Next(long version)
    {
        Features.Clear();
        var state = DesiredState.Empty with { Version = version };
        var listeners = _random.Next(0, 3);
        if (listeners == 0)
        {
            Features.Add("default_listener");
        }

        for (var i = 0; i < listeners; i++)
        {
            state = state.WithListener(Listener(i));
        }

        var clusterCount = _random.Next(2, 6);
        for (var i = 0; i < clusterCount; i++)
        {
            state = state.WithCluster(Cluster($"c{i}"));
        }

        var clusters = state.Clusters.Keys.ToArray();
        var routeCount = _random.Next(1, 8);
        for (var i = 0; i < routeCount; i++)
        {
            state = state.WithRoute(Route($"r{i}", clusters));
        }

        return state;
    }

    private ListenerSpec Listener(int index)
    {
        var spec = new ListenerSpec { Name = $"l{index}", Address = Pick("0.0.0.0", "127.0.0.1", "::"), Port = 10000 + index };
        if (Chance(50))
        {
            Features.Add("listener_tls");
            var fromFile = Chance(50);
            Features.Add(fromFile ? "listener_tls_file" : "listener_tls_inline");
            spec = spec with
            {
                Tls = new ListenerTlsSpec
                {
                    CertificateChain = fromFile ? new DataSpec { FilePath = $"/etc/alb/l{index}.crt" } : new DataSpec { Inline = Certificate },
                    PrivateKey = fromFile ? new DataSpec { FilePath = $"/etc/alb/l{index}.key" } : new DataSpec { Inline = Key },
                },
            };
        }

        return spec;
    }

    private ClusterSpec Cluster(string name)
    {
        var endpoints = new List<EndpointSpec>();
        var kind = _random.Next(4);
        for (var i = 0; i < _random.Next(1, 5); i++)
        {
            var address = kind switch
            {
                0 => $"10.{_random.Next(256)}.{_random.Next(256)}.{i + 1}",
                1 => $"fd00::{i + 1:x}",
                2 => $"backend{i}.internal",
                _ => i % 2 == 0 ? $"10.0.0.{i + 1}" : $"svc{i}.example.com",
            };
            endpoints.Add(new EndpointSpec(address, _random.Next(1, 65536), _random.Next(1, 129)));
        }

        Features.Add(endpoints.All(e => HostAddress.IsIpLiteral(e.Address)) ? "eds_cluster" : "dns_cluster");
        Features.Add(kind == 1 ? "ipv6_endpoints" : "ipv4_or_hostname_endpoints");
        var policy = (LoadBalancingPolicy)_random.Next(5);
        Features.Add("lb_" + policy);
        var spec = new ClusterSpec
        {
            Name = name,
            Endpoints = [.. endpoints],
            LoadBalancing = policy,
            ConnectTimeout = TimeSpan.FromMilliseconds(_random.Next(1, 3_600_000)),
            Http2 = Flag("http2"),
        };

        if (Chance(50))
        {
            var http = Chance(50);
            Features.Add(http ? "health_check_http" : "health_check_tcp");
            spec = spec with
            {
                HealthCheck = new HealthCheckSpec
                {
                    HttpPath = http ? "/healthz" : null,
                    Interval = TimeSpan.FromMilliseconds(_random.Next(1, 60_000)),
                    Timeout = TimeSpan.FromMilliseconds(_random.Next(1, 10_000)),
                    HealthyThreshold = _random.Next(1, 101),
                    UnhealthyThreshold = _random.Next(1, 101),
                },
            };
        }

        if (Flag("outlier_detection"))
        {
            spec = spec with
            {
                OutlierDetection = new OutlierDetectionSpec
                {
                    Consecutive5xx = _random.Next(1, 1001),
                    Interval = TimeSpan.FromSeconds(_random.Next(1, 3600)),
                    BaseEjectionTime = TimeSpan.FromSeconds(_random.Next(1, 3600)),
                    MaxEjectionPercent = _random.Next(0, 101),
                },
            };
        }

        if (Flag("circuit_breakers"))
        {
            spec = spec with
            {
                CircuitBreakers = new CircuitBreakerSpec
                {
                    MaxConnections = Chance(30) ? CircuitBreakerSpec.NoLimit : _random.Next(1, 10_000),
                    MaxPendingRequests = Chance(30) ? null : _random.Next(1, 10_000),
                    MaxRequests = Chance(30) ? CircuitBreakerSpec.NoLimit : _random.Next(1, 10_000),
                    MaxRetries = Chance(30) ? null : _random.Next(0, 10),
                },
            };
        }

        if (Chance(40))
        {
            var ca = _random.Next(3);
            Features.Add(ca switch { 0 => "upstream_tls_unverified", 1 => "upstream_tls_ca_file", _ => "upstream_tls_ca_inline" });
            spec = spec with
            {
                Tls = new UpstreamTlsSpec
                {
                    Sni = Chance(50) ? $"{name}.internal" : null,
                    TrustedCaFile = ca == 1 ? "/etc/ssl/certs/ca-certificates.crt" : null,
                    TrustedCaPem = ca == 2 ? Certificate : null,
                },
            };
        }

        return spec;
    }

    private RouteSpec Route(string name, string[] clusters)
    {
        var match = new RouteMatchSpec();
        switch (_random.Next(3))
        {
            case 0:
                Features.Add("match_prefix");
                match = match with { PathPrefix = Pick("/", "/api/", "/static", "/v1/users/") };
                break;
            case 1:
                Features.Add("match_path");
                match = match with { Path = Pick("/login", "/checkout", "/healthz") };
                break;
            default:
                Features.Add("match_regex");
                match = match with { Regex = Regexes[_random.Next(Regexes.Length)] };
                break;
        }

        if (Flag("match_headers"))
        {
            match = match with { Headers = [new HeaderMatchSpec("x-tenant", Pick("blue", "green", "a\tb")), new HeaderMatchSpec(":authority", "example.com")] };
        }

        var hostMode = _random.Next(4);
        Features.Add(hostMode switch { 0 => "any_host", 1 => "exact_hosts", 2 => "wildcard_hosts", _ => "star_host" });
        match = match with
        {
            Hosts = hostMode switch
            {
                0 => [],
                1 => [Pick("api.example.com", "shop.example.com", "API.example.com"), "www.example.com:8080"],
                2 => [Pick("*.example.com", "example.*"), "static.example.org"],
                _ => ["*"],
            },
        };

        var spec = new RouteSpec { Name = name, Match = match, Enabled = !Flag("disabled_route"), Order = _random.Next(-2, 3) };
        if (Chance(40) && clusters.Length > 1)
        {
            Features.Add("weighted_backends");
            var picked = clusters.OrderBy(_ => _random.Next()).Take(_random.Next(2, clusters.Length + 1)).ToArray();
            var weights = picked.Select(_ => _random.Next(0, 1001)).ToArray();
            weights[0] = Math.Max(weights[0], 1);
            spec = spec with { Backends = [.. picked.Zip(weights, (c, w) => new WeightedBackend(c, w))] };
        }
        else
        {
            spec = spec with { Cluster = clusters[_random.Next(clusters.Length)] };
        }

        if (Flag("timeout"))
        {
            spec = spec with { Timeout = TimeSpan.FromMilliseconds(_random.Next(0, 86_400_000)) };
        }

        if (Flag("retry"))
        {
            spec = spec with
            {
                Retry = new RetryPolicySpec
                {
                    RetryOn = RetryOns[_random.Next(RetryOns.Length)],
                    NumRetries = _random.Next(0, 11),
                    PerTryTimeout = Chance(50) ? TimeSpan.FromMilliseconds(_random.Next(1, 86_400_000)) : null,
                },
            };
        }

        spec = spec with { WebSocket = Flag("websocket") };
        if (Flag("rate_limit"))
        {
            spec = spec with { RateLimit = new RateLimitSpec(_random.Next(1, 1_000_001), _random.Next(1, 1_000_001)) };
        }

        if (Chance(40))
        {
            var policies = ImmutableArray.CreateBuilder<HashPolicySpec>();
            foreach (var kind in Enumerable.Range(0, _random.Next(1, 4)).Select(_ => _random.Next(3)))
            {
                Features.Add(kind switch { 0 => "hash_header", 1 => "hash_cookie", _ => "hash_source_ip" });
                policies.Add(kind switch
                {
                    0 => HashPolicySpec.Header(Pick("x-user", "x-session-id", ":authority"), Chance(30)),
                    1 => HashPolicySpec.Cookie(Pick("sid", "session"), Chance(50) ? TimeSpan.FromSeconds(_random.Next(0, 86400)) : null, Chance(50) ? "/" : null, Chance(30)),
                    _ => HashPolicySpec.SourceIp(Chance(30)),
                });
            }

            spec = spec with { HashPolicies = policies.ToImmutable() };
        }

        return spec;
    }

    private bool Flag(string feature)
    {
        if (!Chance(50))
        {
            return false;
        }

        Features.Add(feature);
        return true;
    }

    private bool Chance(int percent) => _random.Next(100) < percent;

    private string Pick(params string[] values) => values[_random.Next(values.Length)];
}
