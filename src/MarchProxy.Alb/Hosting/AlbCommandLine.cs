using System.CommandLine;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// The command line: <c>--help</c> and <c>--version</c> print and exit (0) without building the host or
/// binding anything. Every other token (<c>--Alb:GrpcPort=50052</c>, ...) is a configuration override
/// handed to the host. Signals are left to the host, which runs the shutdown sequence.
/// </summary>
public static class AlbCommandLine
{
    public const string Description = """
        MarchProxy ALB: the xDS control plane (ADS), the ModuleService API and the Envoy supervisor in one process.

        Settings come from appsettings.json, then environment variables (GRPC_PORT, XDS_PORT, HEALTH_PORT,
        METRICS_PORT, DATA_DIR, ALB_CONFIG_FILE, ENVOY_BINARY, SHUTDOWN_TIMEOUT, DRAIN_TIMEOUT, ...; see the
        README), then configuration keys on this command line, e.g. --Alb:GrpcPort=50052.

        SIGTERM or SIGINT stops it: readiness goes 503, Envoy drains (DRAIN_TIMEOUT), the streams close, and
        the process exits within SHUTDOWN_TIMEOUT.

        Exit codes: 0 stopped cleanly; 1 crashed, or the stop overran SHUTDOWN_TIMEOUT;
        2 bad settings, a bad config file or a port in use (one line on stderr).
        """;

    /// <summary>The root command; its action runs <paramref name="run"/> with the configuration overrides.</summary>
    public static RootCommand Create(Func<string[], Task<int>> run)
    {
        var root = new RootCommand(Description) { TreatUnmatchedTokensAsErrors = false };
        root.SetAction((parse, _) => run([.. parse.UnmatchedTokens]));
        return root;
    }

    public static Task<int> InvokeAsync(string[] args) =>
        InvokeAsync(args, hostArgs => AlbProgram.RunAsync(hostArgs, Console.Error), Console.Out, Console.Error);

    public static async Task<int> InvokeAsync(string[] args, Func<string[], Task<int>> run, TextWriter output, TextWriter error)
    {
        var parse = Create(run).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"MarchProxy ALB: {problem.Message}");
            }

            return AlbProgram.ExitBadSettings;
        }

        return await parse.InvokeAsync(new InvocationConfiguration
        {
            // The host handles SIGTERM and SIGINT (the shutdown sequence); System.CommandLine must not.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
            Output = output,
            Error = error,
        });
    }
}
