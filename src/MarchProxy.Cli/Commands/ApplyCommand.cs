using System.CommandLine;
using MarchProxy.Cli.Planning;
using Spectre.Console;

namespace MarchProxy.Cli.Commands;

/// <summary>
/// <c>apply -f FILE [--dry-run] [--prune] [--wait]</c>: make the live routes and clusters match a file.
/// The changes go in one ApplyBatch (one config version, all or nothing; --dry-run sends it with
/// validate_only). Unchanged resources are not sent, so re-applying a file moves no version.
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
            var isDryRun = parse.GetValue(dryRun);
            var results = isDryRun
                ? await executor.ValidateAsync(plan, cancellationToken)
                : await executor.ApplyAsync(plan, parse.GetValue(wait), cancellationToken);
            var refused = results.FirstOrDefault(r => r.Error is { } e && PlanExecutor.IsRefusal(e));
            if (isDryRun || refused is not null)
            {
                PlanPrinter.Print(session, desired, plan, results, "dry-run");
                if (refused is not null && !session.Json)
                {
                    session.Err.MarkupLine(isDryRun
                        ? "[red]The API would refuse this file.[/]"
                        : "[red]The API refused this file; nothing was changed.[/]");
                }

                return refused?.Error is { } error ? ExitCodes.FromStatus(error.StatusCode) : ExitCodes.Ok;
            }

            PlanPrinter.Print(session, desired, plan, results, "apply");
            if (results.FirstOrDefault(r => !r.Succeeded) is { Error: { } failure })
            {
                return ErrorReporter.Report(session, failure, $"the batch of {results.Count} change(s)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
