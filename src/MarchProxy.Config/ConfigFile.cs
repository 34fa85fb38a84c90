namespace MarchProxy.Config;

/// <summary>
/// The config file (the ALB's standalone config, config/alb.json, and what `marchproxy apply -f` reads):
/// a Proxy section with Listeners, Routes and Clusters in YARP's vocabulary. Other top-level sections
/// are ignored, so the section can live in an appsettings file too.
/// </summary>
public sealed class ConfigFile
{
    public const string SectionName = "Proxy";

    public FileProxySection? Proxy { get; set; }
}
