using System.CommandLine;
using MarchProxy.Cli.Config;
using MarchProxy.Cli.Planning;

namespace MarchProxy.Cli.Commands;

/// <summary>What <c>apply</c> and <c>diff</c> share: read the file, map it, and compare it with the live config.</summary>
public static class FilePlanning
{
    public static Option<string> FileOption() => new("--file", "-f")
    {
        Description = "A config file in the standalone config's shape (Proxy: Routes, Clusters), YAML or JSON; '-' reads standard input.",
        Required = true,
    };

    public static Option<bool> PruneOption() => new("--prune")
    {
        Description = "Also delete the routes and clusters that the file does not name.",
    };

    public static async Task<(DesiredConfig Desired, ChangePlan Plan)> PlanAsync(CommandSession session, string path, bool prune, CancellationToken cancellationToken)
    {
        var desired = ConfigFileMapper.Map(ConfigFileReader.Read(path, session.Context));
        if (desired.Violations.Count > 0)
        {
            throw new UsageException($"{path} is invalid:\n" + string.Join("\n", desired.Violations.Select(v => $"  {v.Path}: {v.Description}")));
        }

        foreach (var warning in desired.Warnings)
        {
            session.Warn(warning);
        }

        var clusters = await session.Client.GetClustersAsync(cancellationToken);
        var routes = await session.Client.GetRoutesAsync(cancellationToken: cancellationToken);
        return (desired, ChangePlan.Build(desired, clusters, routes, prune));
    }
}
