using System.Collections;
using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Maps the seed's environment variables (GRPC_PORT, XDS_PORT, ENVOY_BINARY, ...) onto configuration
/// keys. Add it after appsettings so that the variables win. Values are checked as they are read: a
/// malformed value throws an <see cref="AlbConfigurationException"/> that names the variable and the
/// key. Durations accept "30s", "500ms", "1m" or plain seconds.
/// </summary>
public sealed class LegacyEnvironmentConfigurationSource : IConfigurationSource
{
    /// <param name="environment">The variables to read; null means the process environment.</param>
    public LegacyEnvironmentConfigurationSource(IReadOnlyDictionary<string, string?>? environment = null)
    {
        Environment = environment ?? ReadProcessEnvironment();
    }

    public IReadOnlyDictionary<string, string?> Environment { get; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) =>
        new LegacyEnvironmentConfigurationProvider(Environment, LegacyEnvironmentMap.Mappings);

    private static Dictionary<string, string?> ReadProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key)
            {
                result[key] = entry.Value as string;
            }
        }

        return result;
    }
}
