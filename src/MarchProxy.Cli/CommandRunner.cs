using System.CommandLine;
using MarchProxy.Client;

namespace MarchProxy.Cli;

/// <summary>
/// Gives every command the same frame: resolve the global options, open a session, run, and turn a
/// failure into its message and exit code.
/// </summary>
public sealed class CommandRunner(GlobalOptions options, CliContext context)
{
    public GlobalOptions Options => options;

    public void SetAction(Command command, Func<CommandSession, ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, action, cancellationToken));

    private async Task<int> RunAsync(ParseResult parse, Func<CommandSession, ParseResult, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        var format = OutputFormat.Table;
        try
        {
            format = ConnectionSettings.ResolveOutput(parse, options, context);
            using var session = new CommandSession(context, format, ConnectionSettings.Resolve(parse, options, context));
            try
            {
                return await action(session, parse, cancellationToken);
            }
            catch (MarchProxyException e)
            {
                return ErrorReporter.Report(session, e);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
        }
        catch (UsageException e)
        {
            return ErrorReporter.ReportUsage(context, format, e.Message);
        }
    }
}
