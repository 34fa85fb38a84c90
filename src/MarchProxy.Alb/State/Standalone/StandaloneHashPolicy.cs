namespace MarchProxy.Alb.State.Standalone;

/// <summary>One consistent-hashing key: set exactly one of Header, Cookie and SourceIp.</summary>
public sealed class StandaloneHashPolicy
{
    public string? Header { get; set; }

    public string? Cookie { get; set; }

    public bool SourceIp { get; set; }

    public bool Terminal { get; set; }

    /// <summary>Cookie only: Envoy creates the cookie with this lifetime when the request has none.</summary>
    public TimeSpan? CookieTtl { get; set; }

    /// <summary>Cookie only: the path of a created cookie.</summary>
    public string? CookiePath { get; set; }
}
