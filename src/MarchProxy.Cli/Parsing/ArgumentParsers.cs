using System.Globalization;
using MarchProxy.Api.V1;

namespace MarchProxy.Cli.Parsing;

/// <summary>Parses the tool's compact arguments: NAME=WEIGHT, 1000/s, HOST:PORT[=WEIGHT], NAME=VALUE.</summary>
public static class ArgumentParsers
{
    /// <summary>"blue=90" → backend blue, weight 90.</summary>
    public static TrafficWeight Weight(string text)
    {
        var (name, value) = Pair(text, "NAME=WEIGHT, e.g. blue=90");
        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var weight)
            ? new TrafficWeight { BackendName = name, Weight = weight }
            : throw new UsageException($"'{text}': the weight must be a whole number, e.g. {name}=90");
    }

    /// <summary>"1000/s" or "1000" → 1000 requests per second.</summary>
    public static int Rate(string text)
    {
        var number = text.EndsWith("/s", StringComparison.OrdinalIgnoreCase) ? text[..^2] : text;
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var rate)
            ? rate
            : throw new UsageException($"'{text}' is not a rate: use requests per second, e.g. 1000/s (or 'off' to remove the limit)");
    }

    /// <summary>"10.0.0.5:8080", "[::1]:8080" or "api.internal:443", optionally "=WEIGHT".</summary>
    public static Api.V1.Endpoint Endpoint(string text)
    {
        var address = text;
        uint weight = 0;
        var equals = text.LastIndexOf('=');
        if (equals > 0)
        {
            address = text[..equals];
            if (!uint.TryParse(text[(equals + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out weight))
            {
                throw new UsageException($"'{text}': the weight after '=' must be a whole number");
            }
        }

        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !uint.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new UsageException($"'{text}' must be HOST:PORT[=WEIGHT], e.g. 10.0.0.5:8080 or [fd00::5]:8080=2");
        }

        var host = address[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return new Api.V1.Endpoint { Address = host, Port = port, Weight = weight };
    }

    /// <summary>"x-tenant=blue" → ("x-tenant", "blue").</summary>
    public static (string Name, string Value) Header(string text) => Pair(text, "NAME=VALUE, e.g. x-tenant=blue");

    private static (string Name, string Value) Pair(string text, string expected)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? (text[..equals], text[(equals + 1)..])
            : throw new UsageException($"'{text}' must be {expected}");
    }
}
