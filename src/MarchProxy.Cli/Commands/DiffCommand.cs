using System.CommandLine;
using MarchProxy.Cli.Planning;

namespace MarchProxy.Cli.Commands;

/// <summary><c>diff -f FILE [--prune]</c>: what <c>apply</c> would change. Exit 0 when nothing, 1 when something.</summary>
public static class DiffCommand
{
    public static Command Create(CommandRunner runner)
    {
        var file = FilePlanning.FileOption();
        var prune = FilePlanning.PruneOption();
        var command = new Command("diff", "Show how the live routes and clusters differ from a file. Exit 0: no differences; 1: differences.") { file, prune };
        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var (desired, plan) = await FilePlanning.PlanAsync(session, parse.GetRequiredValue(file), parse.GetValue(prune), cancellationToken);
            PlanPrinter.Print(session, desired, plan, [], "diff");
            return plan.HasChanges ? ExitCodes.Differences : ExitCodes.Ok;
        });
        return command;
    }
}
