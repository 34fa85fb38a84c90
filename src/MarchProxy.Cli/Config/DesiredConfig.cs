using MarchProxy.Api.V1;

namespace MarchProxy.Cli.Config;

/// <summary>A config file mapped onto the API's messages, with each resource's path in the file.</summary>
public sealed class DesiredConfig
{
    public List<ClusterConfig> Clusters { get; } = [];

    public List<RouteConfig> Routes { get; } = [];

    /// <summary>Resource name → its path in the file ("Proxy:Routes:api"), by kind ("cluster", "route").</summary>
    public Dictionary<(string Kind, string Name), string> Sources { get; } = [];

    /// <summary>What the file says that the API cannot apply (listeners, route order).</summary>
    public List<string> Warnings { get; } = [];

    public List<FileViolation> Violations { get; } = [];
}
