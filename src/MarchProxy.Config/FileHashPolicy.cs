using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>One consistent-hashing key of a route: exactly one of Header, Cookie and SourceIp.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileHashPolicy
{
    /// <summary>What a policy that names no key, or more than one, is told.</summary>
    public const string OneKeyRule = "set exactly one of Header, Cookie and SourceIp";

    public string? Header { get; set; }

    public string? Cookie { get; set; }

    public bool SourceIp { get; set; }

    public bool Terminal { get; set; }

    /// <summary>Cookie only: the lifetime of a cookie Envoy creates when the request has none.</summary>
    public TimeSpan? CookieTtl { get; set; }

    /// <summary>Cookie only: the path of a created cookie.</summary>
    public string? CookiePath { get; set; }

    /// <summary>True when <paramref name="policy"/> names exactly one key.</summary>
    public static bool HasOneKey([NotNullWhen(true)] FileHashPolicy? policy) =>
        policy is not null && (policy.Header is null ? 0 : 1) + (policy.Cookie is null ? 0 : 1) + (policy.SourceIp ? 1 : 0) == 1;
}
