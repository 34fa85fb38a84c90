using System.CommandLine;
using MarchProxy.Api.V1;

namespace MarchProxy.Cli.Commands;

/// <summary>The <c>delete NAME [--wait]</c> subcommand of <c>route</c> and <c>cluster</c>.</summary>
public static class DeleteCommand
{
    public static Command Create(
        CommandRunner runner,
        string kind,
        Func<CommandSession, string, bool, CancellationToken, Task<MutationResponse>> delete)
    {
        var name = new Argument<string>("name") { Description = $"The {kind}'s name." };
        var wait = CommonOptions.Wait();
        var command = new Command("delete", $"Delete a {kind}.") { name, wait };
        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var response = await delete(session, parse.GetRequiredValue(name), parse.GetValue(wait), cancellationToken);
            session.WriteResponse(response);
            return ExitCodes.Ok;
        });
        return command;
    }
}
