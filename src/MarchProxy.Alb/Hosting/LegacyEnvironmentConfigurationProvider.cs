using System.Globalization;
using MarchProxy.Alb.Configuration;
using MarchProxy.Config;

namespace MarchProxy.Alb.Hosting;

/// <summary>Reads the mapped variables once, checks each value, and exposes it under its keys.</summary>
public sealed class LegacyEnvironmentConfigurationProvider(
    IReadOnlyDictionary<string, string?> environment,
    IReadOnlyList<EnvironmentVariableMapping> mappings) : ConfigurationProvider
{
    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var mapping in mappings)
        {
            if (!environment.TryGetValue(mapping.Variable, out var raw) || raw is null)
            {
                continue;
            }

            if (!TryConvert(mapping, raw.Trim(), out var value, out var expected))
            {
                errors.Add($"{mapping.DisplayName} must be {expected}, got '{raw}'");
                continue;
            }

            foreach (var key in mapping.Keys)
            {
                data[key] = value;
            }
        }

        if (errors.Count > 0)
        {
            throw new AlbConfigurationException("Invalid environment: " + string.Join("; ", errors));
        }

        Data = data;
    }

    private static bool TryConvert(EnvironmentVariableMapping mapping, string raw, out string value, out string expected)
    {
        value = raw;
        switch (mapping.Kind)
        {
            case EnvironmentVariableKind.Port:
                expected = "a port number 0-65535";
                return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535;
            case EnvironmentVariableKind.Number:
                expected = "an integer";
                return int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            case EnvironmentVariableKind.Boolean:
                expected = "true or false";
                if (TryParseBoolean(raw, out var flag))
                {
                    value = flag ? "true" : "false";
                    return true;
                }

                return false;
            case EnvironmentVariableKind.Duration:
                expected = "a duration such as 30s, 500ms, 1m or plain seconds";
                if (DurationParser.TryParse(raw, out var duration))
                {
                    value = DurationParser.ToConfigurationValue(duration);
                    return true;
                }

                return false;
            case EnvironmentVariableKind.Choice:
                var allowed = mapping.Allowed ?? [];
                expected = "one of " + string.Join(", ", allowed);
                return allowed.Contains(raw, StringComparer.OrdinalIgnoreCase);
            case EnvironmentVariableKind.ConnectAddress:
                expected = "an address";
                value = raw switch
                {
                    "0.0.0.0" or "*" or "" => "127.0.0.1",
                    "::" or "[::]" => "::1",
                    _ => raw,
                };
                return true;
            default:
                expected = "text";
                return true;
        }
    }

    private static bool TryParseBoolean(string raw, out bool value)
    {
        switch (raw.ToUpperInvariant())
        {
            case "TRUE" or "1" or "YES" or "ON":
                value = true;
                return true;
            case "FALSE" or "0" or "NO" or "OFF":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
