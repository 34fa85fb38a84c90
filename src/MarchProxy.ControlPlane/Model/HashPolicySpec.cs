namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// One consistent-hashing key of a route (Envoy's <c>route.hash_policy</c>): a request header, a
/// cookie, or the client's IP address.
/// </summary>
public sealed record HashPolicySpec
{
    public HashPolicyKind Kind { get; init; }

    /// <summary>The header or cookie name; unused for <see cref="HashPolicyKind.SourceIp"/>.</summary>
    public string? Name { get; init; }

    /// <summary>Stop at this key when it yields a value, ignoring the keys after it.</summary>
    public bool Terminal { get; init; }

    /// <summary>Cookie only: when set, Envoy creates the cookie with this lifetime if the request has none.</summary>
    public TimeSpan? CookieTtl { get; init; }

    /// <summary>Cookie only: the path of a created cookie.</summary>
    public string? CookiePath { get; init; }

    public static HashPolicySpec Header(string name, bool terminal = false) => new() { Kind = HashPolicyKind.Header, Name = name, Terminal = terminal };

    public static HashPolicySpec Cookie(string name, TimeSpan? ttl = null, string? path = null, bool terminal = false) =>
        new() { Kind = HashPolicyKind.Cookie, Name = name, CookieTtl = ttl, CookiePath = path, Terminal = terminal };

    public static HashPolicySpec SourceIp(bool terminal = false) => new() { Kind = HashPolicyKind.SourceIp, Terminal = terminal };
}
