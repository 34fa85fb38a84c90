namespace MarchProxy.Alb.State.Standalone;

/// <summary>
/// The standalone config file, in appsettings form: a "Proxy" section with Listeners, Routes and
/// Clusters (YARP's vocabulary). Other top-level sections are ignored, so the section can live in an
/// appsettings file too.
/// </summary>
public sealed class StandaloneDocument
{
    public const string SectionName = "Proxy";

    public StandaloneProxyConfig? Proxy { get; set; }
}
