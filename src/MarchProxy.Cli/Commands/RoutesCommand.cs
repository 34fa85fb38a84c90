using System.CommandLine;
using MarchProxy.Cli.Output;

namespace MarchProxy.Cli.Commands;

/// <summary><c>routes [--cluster NAME]</c>.</summary>
public static class RoutesCommand
{
    public static Command Create(CommandRunner runner)
    {
        var cluster = new Option<string>("--cluster", "-c") { Description = "Only the routes that send traffic to this cluster." };
        var command = new Command("routes", "List the routes.") { cluster };
        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var routes = await session.Client.GetRoutesAsync(parse.GetValue(cluster), cancellationToken);
            if (session.Json)
            {
                session.WriteJson(routes);
            }
            else
            {
                Views.Routes(session.Out, routes);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
