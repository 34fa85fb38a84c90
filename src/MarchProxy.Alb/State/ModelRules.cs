using System.Text.RegularExpressions;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>
/// Input rules shared by the ModuleService façade and the standalone config, so that both accept
/// the same names, hosts, headers, addresses and policies.
/// </summary>
public static partial class ModelRules
{
    public const int MaxNameLength = ConfigValidator.MaxNameLength;

    /// <summary>The largest weight of one weighted backend (the model's limit).</summary>
    public const int MaxBackendWeight = 1000;

    public const int MinEndpointWeight = 1;

    public const int MaxEndpointWeight = 128;

    public const int MaxRetries = 10;

    /// <summary>The retry_on conditions Envoy knows (HTTP and gRPC).</summary>
    public static IReadOnlySet<string> RetryConditions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited",
        "retriable-4xx", "refused-stream", "retriable-status-codes", "retriable-headers",
        "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted",
        "unavailable",
    };

    public static string NameRule => $"must be 1-{MaxNameLength} characters of letters, digits, '.', '_' or '-'";

    /// <summary>The model's name rule (<see cref="ConfigValidator.ValidateName"/>).</summary>
    public static bool IsValidName(string? name) => ConfigValidator.ValidateName(string.Empty, name, new List<ValidationError>(1));

    /// <summary>An IP literal or a DNS host name, as the model accepts them.</summary>
    public static bool IsValidAddress(string? address) => HostAddress.IsIpLiteral(address) || HostAddress.IsHostname(address);

    /// <summary>A virtual-host domain as Envoy accepts it: "*", "*.example.com", "example.*", "host:port".</summary>
    public static bool IsValidHost(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > 255 || !HostPattern().IsMatch(host))
        {
            return false;
        }

        var stars = host.Count(c => c == '*');
        return stars == 0 || (stars == 1 && (host[0] == '*' || host[^1] == '*'));
    }

    /// <summary>An HTTP header name (a token), or a pseudo-header such as ":authority".</summary>
    public static bool IsValidHeaderName(string? name) => !string.IsNullOrEmpty(name) && HeaderNamePattern().IsMatch(name);

    /// <summary>
    /// Checks an RE2-style expression with .NET's non-backtracking engine, which (like RE2) refuses
    /// backreferences and lookarounds. Returns the error, or null when the expression is accepted.
    /// </summary>
    public static string? CheckRegex(string pattern)
    {
        if (pattern.Length > 1024)
        {
            return "must be at most 1024 characters";
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"is not a valid regular expression ({ex.Message})";
        }
        catch (NotSupportedException ex)
        {
            return $"uses a construct RE2 does not support ({ex.Message})";
        }
    }

    /// <summary>Every condition in a comma-separated retry_on list that Envoy does not know.</summary>
    public static IReadOnlyList<string> UnknownRetryConditions(string retryOn) =>
        [.. retryOn.Split(',', StringSplitOptions.TrimEntries).Where(c => !RetryConditions.Contains(c))];

    /// <summary>
    /// Parses "ROUND_ROBIN", "RoundRobin", "round-robin", "LeastRequests" (YARP's spelling) and so on.
    /// Empty means round robin.
    /// </summary>
    public static bool TryParseLoadBalancing(string? text, out LoadBalancingPolicy policy)
    {
        policy = LoadBalancingPolicy.RoundRobin;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var key = text.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (string.Equals(key, "LeastRequests", StringComparison.OrdinalIgnoreCase))
        {
            key = nameof(LoadBalancingPolicy.LeastRequest);
        }

        return !int.TryParse(key, out _) && Enum.TryParse(key, ignoreCase: true, out policy) && Enum.IsDefined(policy);
    }

    /// <summary>The API spelling of a policy: "ROUND_ROBIN", "LEAST_REQUEST", ...</summary>
    public static string ToApiName(LoadBalancingPolicy policy) => policy switch
    {
        LoadBalancingPolicy.RoundRobin => "ROUND_ROBIN",
        LoadBalancingPolicy.LeastRequest => "LEAST_REQUEST",
        LoadBalancingPolicy.Random => "RANDOM",
        LoadBalancingPolicy.RingHash => "RING_HASH",
        LoadBalancingPolicy.Maglev => "MAGLEV",
        _ => policy.ToString().ToUpperInvariant(),
    };

    [GeneratedRegex(@"^[A-Za-z0-9._\-*:\[\]]+$")]
    private static partial Regex HostPattern();

    [GeneratedRegex("^:?[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HeaderNamePattern();
}
