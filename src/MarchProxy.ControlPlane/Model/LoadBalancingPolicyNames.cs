namespace MarchProxy.ControlPlane.Model;

/// <summary>The spellings of <see cref="LoadBalancingPolicy"/> that the API and the standalone config accept.</summary>
public static class LoadBalancingPolicyNames
{
    /// <summary>
    /// Parses "ROUND_ROBIN", "RoundRobin", "round-robin", "LeastRequests" (YARP's spelling) and so on.
    /// Empty means round robin.
    /// </summary>
    public static bool TryParse(string? text, out LoadBalancingPolicy policy)
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

    /// <summary>The API spelling: "ROUND_ROBIN", "LEAST_REQUEST", ...</summary>
    public static string ToApiName(LoadBalancingPolicy policy) => policy switch
    {
        LoadBalancingPolicy.RoundRobin => "ROUND_ROBIN",
        LoadBalancingPolicy.LeastRequest => "LEAST_REQUEST",
        LoadBalancingPolicy.Random => "RANDOM",
        LoadBalancingPolicy.RingHash => "RING_HASH",
        LoadBalancingPolicy.Maglev => "MAGLEV",
        _ => policy.ToString().ToUpperInvariant(),
    };
}
