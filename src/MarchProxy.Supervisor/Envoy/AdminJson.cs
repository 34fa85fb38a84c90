using System.Globalization;
using System.Text.Json;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>Parses the JSON of Envoy's admin API (<c>/server_info</c>, <c>/stats?format=json</c>).</summary>
internal static class AdminJson
{
    public static EnvoyServerInfo ParseServerInfo(string json)
    {
        using var document = Parse(json, "/server_info");
        var root = document.RootElement;
        var version = GetString(root, "version") ?? throw new EnvoyAdminException("/server_info has no version.");
        var state = GetString(root, "state") ?? throw new EnvoyAdminException("/server_info has no state.");
        int? epoch = null;
        long? baseId = null;
        if (root.TryGetProperty("command_line_options", out var options) && options.ValueKind == JsonValueKind.Object)
        {
            epoch = (int?)GetInteger(options, "restart_epoch");
            baseId = GetInteger(options, "base_id");
        }

        return new EnvoyServerInfo(
            version,
            state,
            epoch,
            baseId,
            GetString(root, "hot_restart_version"),
            ParseDuration(GetString(root, "uptime_current_epoch")));
    }

    public static EnvoyStats ParseStats(string json)
    {
        using var document = Parse(json, "/stats");
        var root = document.RootElement;
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        var quantiles = new List<double>();
        var histograms = new List<EnvoyHistogram>();
        if (root.TryGetProperty("stats", out var stats) && stats.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in stats.EnumerateArray())
            {
                if (entry.TryGetProperty("histograms", out var block))
                {
                    ReadHistograms(block, quantiles, histograms);
                }
                else if (entry.TryGetProperty("name", out var name) && entry.TryGetProperty("value", out var value)
                         && value.ValueKind == JsonValueKind.Number)
                {
                    // Text readouts carry a string value; only numbers are counters and gauges.
                    values[name.GetString() ?? string.Empty] = value.TryGetInt64(out var whole) ? whole : (long)value.GetDouble();
                }
            }
        }

        if (root.TryGetProperty("histograms", out var topLevel))
        {
            ReadHistograms(topLevel, quantiles, histograms);
        }

        return new EnvoyStats(values, quantiles, histograms);
    }

    /// <summary>Parses a protobuf JSON duration such as "5s" or "1.500s".</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.EndsWith('s'))
        {
            return null;
        }

        return double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static void ReadHistograms(JsonElement block, List<double> quantiles, List<EnvoyHistogram> histograms)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (block.TryGetProperty("supported_quantiles", out var supported) && supported.ValueKind == JsonValueKind.Array)
        {
            quantiles.Clear();
            quantiles.AddRange(supported.EnumerateArray().Where(q => q.ValueKind == JsonValueKind.Number).Select(q => q.GetDouble()));
        }

        if (!block.TryGetProperty("computed_quantiles", out var computed) || computed.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var histogram in computed.EnumerateArray())
        {
            var name = GetString(histogram, "name");
            if (name is null || !histogram.TryGetProperty("values", out var points) || points.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var interval = new List<double?>();
            var cumulative = new List<double?>();
            foreach (var point in points.EnumerateArray())
            {
                interval.Add(GetNumber(point, "interval"));
                cumulative.Add(GetNumber(point, "cumulative"));
            }

            histograms.Add(new EnvoyHistogram(name, interval, cumulative));
        }
    }

    private static JsonDocument Parse(string json, string what)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new EnvoyAdminException($"{what} did not return JSON: {ex.Message}", ex);
        }
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? GetNumber(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    /// <summary>64-bit integers are strings in protobuf JSON, 32-bit ones are numbers; accept both.</summary>
    private static long? GetInteger(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}
