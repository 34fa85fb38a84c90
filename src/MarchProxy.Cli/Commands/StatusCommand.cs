using System.CommandLine;
using MarchProxy.Cli.Output;

namespace MarchProxy.Cli.Commands;

/// <summary><c>status</c>: module, health, config version, Envoy, and each xDS node's ACKs and NACKs.</summary>
public static class StatusCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("status", "Module, health, config version, Envoy's state and version, and the connected xDS nodes with their ACKs and NACKs.");
        runner.SetAction(command, async (session, _, cancellationToken) =>
        {
            var status = await session.Client.GetStatusAsync(cancellationToken);
            if (session.Json)
            {
                session.WriteJson(status);
            }
            else
            {
                Views.Status(session.Out, status);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
