using System.Text.Json;

namespace MarchProxy.Config;

/// <summary>
/// How the config file is read: JSON with comments and trailing commas, property names
/// case-insensitive, an unknown property or a name given twice an error (a typo must not be silently
/// ignored, nor a route or cluster silently replaced), durations as <see cref="DurationJsonConverter"/> reads them.
/// </summary>
public static class ConfigFileJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>"$.Proxy.Routes.api.Timeout" → "Proxy:Routes:api:Timeout"; the whole file is "(file)".</summary>
    public static string ConfigurationPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "(file)";
        }

        var path = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return path.Replace("['", ":", StringComparison.Ordinal).Replace("']", string.Empty, StringComparison.Ordinal).Replace('.', ':').TrimStart(':');
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            AllowDuplicateProperties = false,
        };
        options.Converters.Add(new DurationJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
