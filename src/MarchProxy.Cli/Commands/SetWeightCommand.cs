using System.CommandLine;
using MarchProxy.Cli.Parsing;

namespace MarchProxy.Cli.Commands;

/// <summary><c>set-weight ROUTE blue=90 green=10 [--wait]</c>: SetTrafficWeight.</summary>
public static class SetWeightCommand
{
    public static Command Create(CommandRunner runner)
    {
        var route = new Argument<string>("route") { Description = "The route to split." };
        var weights = new Argument<string[]>("weights") { Description = "CLUSTER=WEIGHT pairs (0-1000 each, summing to more than 0), e.g. web=90 web-green=10.", Arity = ArgumentArity.OneOrMore };
        var wait = CommonOptions.Wait();
        var command = new Command("set-weight", "Split a route's traffic between clusters by weight (blue/green, canary).") { route, weights, wait };
        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var parsed = parse.GetRequiredValue(weights).Select(ArgumentParsers.Weight).ToList();
            var response = await session.Client.SetTrafficWeightAsync(parse.GetRequiredValue(route), parsed, parse.GetValue(wait), cancellationToken);
            session.WriteResponse(response);
            return ExitCodes.Ok;
        });
        return command;
    }
}
