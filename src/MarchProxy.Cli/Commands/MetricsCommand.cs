using System.CommandLine;
using MarchProxy.Cli.Output;

namespace MarchProxy.Cli.Commands;

/// <summary><c>metrics</c>: GetMetrics (the same Envoy sample as /metrics).</summary>
public static class MetricsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("metrics", "Connections, requests, latency and status codes, in total and per route (zero in control-plane-only mode).");
        runner.SetAction(command, async (session, _, cancellationToken) =>
        {
            var metrics = await session.Client.GetMetricsAsync(cancellationToken);
            if (session.Json)
            {
                session.WriteJson(metrics);
            }
            else
            {
                Views.Metrics(session.Out, metrics);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
