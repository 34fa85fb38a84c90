using System.CommandLine;
using MarchProxy.Cli.Planning;
using Spectre.Console;

namespace MarchProxy.Cli.Commands;

/// <summary>
/// <c>apply -f FILE [--dry-run] [--prune] [--wait]</c>: make the live routes and clusters match a file.
/// Every change is first checked with validate_only; if any is refused nothing is applied. Unchanged
/// resources are not sent, so re-applying a file moves no version.
/// </summary>
public static class ApplyCommand
{
    public static Command Create(CommandRunner runner)
    {
        var file = FilePlanning.FileOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the diff and what the API says of each change (validate_only); change nothing." };
        var prune = FilePlanning.PruneOption();
        var wait = CommonOptions.Wait();
        var command = new Command("apply", "Create or update the routes and clusters of a file (clusters first), and with --prune delete the others.") { file, dryRun, prune, wait };
        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var (desired, plan) = await FilePlanning.PlanAsync(session, parse.GetRequiredValue(file), parse.GetValue(prune), cancellationToken);
            var executor = new PlanExecutor(session.Client);
            var checks = await executor.ValidateAsync(plan, cancellationToken);
            var refused = checks.FirstOrDefault(c => !c.Succeeded);
            if (parse.GetValue(dryRun) || refused is not null)
            {
                PlanPrinter.Print(session, desired, plan, checks, "dry-run");
                if (refused is not null && !session.Json)
                {
                    session.Err.MarkupLine(parse.GetValue(dryRun)
                        ? "[red]The API would refuse this file.[/]"
                        : "[red]The API refused this file; nothing was changed.[/]");
                }

                return refused?.Error is { } error ? ExitCodes.FromStatus(error.StatusCode) : ExitCodes.Ok;
            }

            var results = await executor.ApplyAsync(plan, parse.GetValue(wait), cancellationToken);
            PlanPrinter.Print(session, desired, plan, results, "apply");
            if (results.FirstOrDefault(r => !r.Succeeded) is { Error: { } failure } failed)
            {
                var applied = results.Count(r => r.Succeeded);
                return ErrorReporter.Report(session, failure, $"{failed.Change.Kind} {failed.Change.Name} ({applied} change(s) applied before it)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
