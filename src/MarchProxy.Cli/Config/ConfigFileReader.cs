using System.Text.Json;
using MarchProxy.Config;

namespace MarchProxy.Cli.Config;

/// <summary>
/// Reads a config file (YAML or JSON; "-" is standard input) strictly: names are case-insensitive, an
/// unknown property is an error, and every error names its path (Proxy:Routes:api:Timeout).
/// </summary>
public static class ConfigFileReader
{
    public static ConfigFile Read(string path, CliContext context)
    {
        string text;
        string name;
        if (path == "-")
        {
            text = context.Input.ReadToEnd();
            name = "standard input";
        }
        else
        {
            name = context.ResolvePath(path);
            if (!File.Exists(name))
            {
                throw new UsageException($"{path}: no such file");
            }

            text = File.ReadAllText(name);
        }

        try
        {
            return Parse(text, IsYaml(path, text));
        }
        catch (UsageException e)
        {
            throw new UsageException($"{name}: {e.Message}", e);
        }
    }

    public static ConfigFile Parse(string text, bool yaml)
    {
        ConfigFile? file;
        try
        {
            file = yaml
                ? YamlToJson.Convert(text) is { } node ? node.Deserialize<ConfigFile>(ConfigFileJson.Options) : null
                : JsonSerializer.Deserialize<ConfigFile>(text, ConfigFileJson.Options);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{ConfigFileJson.ConfigurationPath(e.Path)}: {JsonErrors.Describe(e)}", e);
        }

        return file?.Proxy is null
            ? throw new UsageException("the Proxy section is missing (see the README's \"Standalone config\")")
            : file;
    }

    private static bool IsYaml(string path, string text)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return !extension.Equals(".json", StringComparison.OrdinalIgnoreCase) && !text.TrimStart().StartsWith('{');
    }
}
