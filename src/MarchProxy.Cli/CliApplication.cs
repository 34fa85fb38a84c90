using System.CommandLine;
using MarchProxy.Cli.Commands;

namespace MarchProxy.Cli;

/// <summary>The tool's entry point, callable in process with arguments and a <see cref="CliContext"/>.</summary>
public static class CliApplication
{
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = BuildRootCommand(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"error: {error.Message}");
            }

            await context.Error.WriteLineAsync("Run 'marchproxy --help' for the commands and options.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,

            // Ctrl+C cancels the command's token; in process (tests) the host's signals are left alone.
            ProcessTerminationTimeout = context.HandleProcessTermination ? TimeSpan.FromSeconds(2) : null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    public static RootCommand BuildRootCommand(CliContext context)
    {
        var options = new GlobalOptions();
        var runner = new CommandRunner(options, context);
        var root = new RootCommand(
            "marchproxy: operate a MarchProxy ALB through its ModuleService API. " +
            "Exit codes: 0 ok, 1 diff found differences, 2 usage or bad file, 3 invalid argument, 4 not found, " +
            "5 failed precondition, 6 unauthenticated, 7 unavailable, 8 NACKed, 9 ACK or call timeout, " +
            "10 reported failure, 11 other server error, 12 not ready, 130 interrupted.");
        options.AddTo(root);
        root.Subcommands.Add(StatusCommand.Create(runner));
        root.Subcommands.Add(RoutesCommand.Create(runner));
        root.Subcommands.Add(ClustersCommand.Create(runner));
        root.Subcommands.Add(MetricsCommand.Create(runner));
        root.Subcommands.Add(SetWeightCommand.Create(runner));
        root.Subcommands.Add(RateLimitCommand.Create(runner));
        root.Subcommands.Add(RouteCommand.Create(runner));
        root.Subcommands.Add(ClusterCommand.Create(runner));
        root.Subcommands.Add(ReloadCommand.Create(runner));
        root.Subcommands.Add(ApplyCommand.Create(runner));
        root.Subcommands.Add(DiffCommand.Create(runner));
        root.Subcommands.Add(WatchCommand.Create(runner));
        root.Subcommands.Add(HealthCommand.Create(runner));
        return root;
    }
}
