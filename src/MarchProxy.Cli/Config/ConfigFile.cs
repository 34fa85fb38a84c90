namespace MarchProxy.Cli.Config;

/// <summary>
/// A config file in the shape of the ALB's standalone config (config/alb.json): a Proxy section with
/// Routes and Clusters in YARP's vocabulary, in JSON (comments and trailing commas allowed) or YAML.
/// Other top-level sections are ignored, so an appsettings file works too.
/// </summary>
public sealed class ConfigFile
{
    public FileProxySection? Proxy { get; set; }
}
