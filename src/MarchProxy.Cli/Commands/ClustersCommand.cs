using System.CommandLine;
using MarchProxy.Cli.Output;

namespace MarchProxy.Cli.Commands;

/// <summary><c>clusters</c>.</summary>
public static class ClustersCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("clusters", "List the clusters and their endpoints.");
        runner.SetAction(command, async (session, _, cancellationToken) =>
        {
            var clusters = await session.Client.GetClustersAsync(cancellationToken);
            if (session.Json)
            {
                session.WriteJson(clusters);
            }
            else
            {
                Views.Clusters(session.Out, clusters);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
