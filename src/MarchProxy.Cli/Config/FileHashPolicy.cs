using System.Text.Json.Serialization;

namespace MarchProxy.Cli.Config;

/// <summary>One consistent-hashing key of a route: exactly one of Header, Cookie and SourceIp.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileHashPolicy
{
    public string? Header { get; set; }

    public string? Cookie { get; set; }

    public bool SourceIp { get; set; }

    public bool Terminal { get; set; }

    /// <summary>Cookie only: the lifetime of a cookie Envoy creates when the request has none.</summary>
    public TimeSpan? CookieTtl { get; set; }

    /// <summary>Cookie only: the path of a created cookie.</summary>
    public string? CookiePath { get; set; }
}
