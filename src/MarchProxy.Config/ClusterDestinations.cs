using System.Globalization;
using System.Net;

namespace MarchProxy.Config;

/// <summary>
/// A cluster's Destinations read as endpoints, the same way for the ALB's own file and for the tool:
/// "http://host:port", "https://host" (port 443), "host:port" or "[v6]:port". https:// destinations
/// turn upstream TLS on, with the first DNS name as the SNI; mixing http:// and https:// is an error.
/// </summary>
public sealed class ClusterDestinations
{
    private const string Forms = "http://10.0.0.5:8080, https://api.internal or 10.0.0.5:8080";

    private ClusterDestinations(IReadOnlyList<ParsedDestination> endpoints, IReadOnlyList<FileFieldError> errors, bool https, string? tlsHost)
    {
        Endpoints = endpoints;
        Errors = errors;
        Https = https;
        TlsHost = tlsHost;
    }

    /// <summary>The destinations that parsed, in the file's order.</summary>
    public IReadOnlyList<ParsedDestination> Endpoints { get; }

    /// <summary>The destinations that did not parse, then a mix of schemes.</summary>
    public IReadOnlyList<FileFieldError> Errors { get; }

    /// <summary>True when a destination is https://.</summary>
    public bool Https { get; }

    /// <summary>The host name of the first https:// destination named by DNS (the SNI when Tls gives none).</summary>
    public string? TlsHost { get; }

    /// <summary>Reads <paramref name="cluster"/>'s destinations; <paramref name="quote"/> echoes an address in a message.</summary>
    public static ClusterDestinations Read(FileCluster cluster, Func<string, string> quote)
    {
        var endpoints = new List<ParsedDestination>();
        var errors = new List<FileFieldError>();
        var schemes = new HashSet<string>(StringComparer.Ordinal);
        string? tlsHost = null;
        foreach (var (key, destination) in cluster.Destinations ?? [])
        {
            if (TryParse(destination?.Address, quote, out var scheme, out var host, out var port, out var error))
            {
                schemes.Add(scheme);
                tlsHost ??= scheme == "https" && Uri.CheckHostName(host) == UriHostNameType.Dns ? host : null;
                endpoints.Add(new ParsedDestination(key, host, port, destination!));
            }
            else
            {
                errors.Add(new FileFieldError($"Destinations:{key}:Address", error));
            }
        }

        if (schemes.Count > 1)
        {
            errors.Add(new FileFieldError("Destinations", "mixes http:// and https:// destinations"));
        }

        return new ClusterDestinations(endpoints, errors, schemes.Contains("https"), tlsHost);
    }

    /// <summary>Parses one address; <paramref name="quote"/> echoes it in <paramref name="error"/>.</summary>
    public static bool TryParse(string? address, Func<string, string> quote, out string scheme, out string host, out int port, out string error)
    {
        scheme = "http";
        host = string.Empty;
        port = 0;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(address))
        {
            error = "is required";
            return false;
        }

        var hasScheme = address.Contains("://", StringComparison.Ordinal);
        if (!Uri.TryCreate(hasScheme ? address : "http://" + address, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0)
        {
            error = $"{quote(address)} must look like {Forms}";
            return false;
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            error = $"{quote(address)}: paths are not supported in a destination address, which must look like {Forms}";
            return false;
        }

        var trimmed = address.TrimEnd('/');
        var explicitPort = trimmed.LastIndexOf(':') is var colon and > 0
            && int.TryParse(trimmed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
        if (!hasScheme && !explicitPort)
        {
            error = $"{quote(address)} needs a port, e.g. {quote(address + ":8080")}";
            return false;
        }

        scheme = uri.Scheme;
        host = uri.Host.Trim('[', ']');
        host = IPAddress.TryParse(host, out var ip) ? ip.ToString() : host;
        port = uri.Port;
        return true;
    }
}
