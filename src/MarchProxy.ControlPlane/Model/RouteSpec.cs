using System.Collections.Immutable;

namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// One route: a match, an action (one cluster, or weighted backends), and per-route policy.
/// Routes that share the same host set form one virtual host.
/// </summary>
public sealed record RouteSpec
{
    public required string Name { get; init; }

    public RouteMatchSpec Match { get; init; } = new();

    /// <summary>The single target cluster. Ignored when <see cref="Backends"/> is not empty.</summary>
    public string? Cluster { get; init; }

    /// <summary>Weighted backends (blue/green). When not empty, the route splits by weight.</summary>
    public ImmutableArray<WeightedBackend> Backends { get; init; } = [];

    /// <summary>Upstream timeout; null means Envoy's default (15 s).</summary>
    public TimeSpan? Timeout { get; init; }

    public RetryPolicySpec? Retry { get; init; }

    /// <summary>Allow WebSocket upgrades on this route.</summary>
    public bool WebSocket { get; init; }

    public RateLimitSpec? RateLimit { get; init; }

    /// <summary>A disabled route is kept in the desired state but not served.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Lower orders match first within a virtual host; ties fall back to specificity, then name.</summary>
    public int Order { get; init; }

    /// <summary>
    /// What a RING_HASH or MAGLEV cluster hashes for this route, tried in order (the first that yields
    /// a value wins, or the first terminal one). Empty means a random hash.
    /// </summary>
    public ImmutableArray<HashPolicySpec> HashPolicies { get; init; } = [];

    /// <summary>The clusters this route sends traffic to.</summary>
    public IEnumerable<string> ReferencedClusters =>
        Backends.IsDefaultOrEmpty
            ? (Cluster is null ? [] : [Cluster])
            : Backends.Select(b => b.Cluster);
}

/// <summary>
/// What a request must look like. Exactly one of <see cref="PathPrefix"/>, <see cref="Path"/> and
/// <see cref="Regex"/> is set; with none set the route matches the prefix "/".
/// </summary>
public sealed record RouteMatchSpec
{
    public string? PathPrefix { get; init; }

    public string? Path { get; init; }

    /// <summary>An RE2 expression that must match the whole path.</summary>
    public string? Regex { get; init; }

    /// <summary>Request headers that must match exactly.</summary>
    public ImmutableArray<HeaderMatchSpec> Headers { get; init; } = [];

    /// <summary>Virtual-host domains (the Host/:authority). Empty means "*".</summary>
    public ImmutableArray<string> Hosts { get; init; } = [];
}

public sealed record HeaderMatchSpec(string Name, string Value);

public sealed record WeightedBackend(string Cluster, int Weight);

public sealed record RetryPolicySpec
{
    /// <summary>Envoy retry_on conditions, comma separated.</summary>
    public string RetryOn { get; init; } = "5xx,connect-failure,reset";

    public int NumRetries { get; init; } = 1;

    public TimeSpan? PerTryTimeout { get; init; }
}

/// <summary>
/// A local (per Envoy) token-bucket rate limit: a sustained rate and a burst.
/// </summary>
public sealed record RateLimitSpec(int RequestsPerSecond, int Burst, bool Enabled = true);
