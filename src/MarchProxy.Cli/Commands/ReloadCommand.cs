using System.CommandLine;

namespace MarchProxy.Cli.Commands;

/// <summary><c>reload [--force] [--wait]</c>: re-read the standalone config file (and hot-restart Envoy with --force).</summary>
public static class ReloadCommand
{
    public static Command Create(CommandRunner runner)
    {
        var force = new Option<bool>("--force") { Description = "Also hot-restart Envoy (a new epoch takes the sockets over)." };
        var wait = CommonOptions.Wait();
        var command = new Command("reload", "Re-read the standalone config file (routes and clusters the API changed keep the API's version).") { force, wait };
        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var response = await session.Client.ReloadAsync(parse.GetValue(force), parse.GetValue(wait), cancellationToken);
            session.WriteResponse(response);
            return response.Success ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
