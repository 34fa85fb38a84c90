using System.CommandLine;
using System.Globalization;
using MarchProxy.Api.V1;
using Spectre.Console;

namespace MarchProxy.Cli.Commands;

/// <summary><c>watch [--current] [--count N]</c>: WatchEvents, live, one line per event (JSON Lines with -o json).</summary>
public static class WatchCommand
{
    public static Command Create(CommandRunner runner)
    {
        var current = new Option<bool>("--current") { Description = "Start with the current state: the config version, every known xDS node and Envoy's state." };
        var count = new Option<int?>("--count", "-n") { Description = "Stop after this many events (default: follow until Ctrl+C)." };
        var command = new Command("watch", "Follow what happens: config versions applied, xDS nodes connecting, ACKing and NACKing, Envoy's state.") { current, count };
        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var limit = parse.GetValue(count);
            if (limit is <= 0)
            {
                throw new UsageException("--count must be 1 or more");
            }

            var seen = 0;
            try
            {
                await foreach (var configEvent in session.Client.WatchEventsAsync(parse.GetValue(current), cancellationToken))
                {
                    if (session.Json)
                    {
                        session.WriteJson(configEvent, indented: false);
                    }
                    else
                    {
                        session.Out.MarkupLine(Describe(configEvent));
                    }

                    await session.Context.Output.FlushAsync(cancellationToken);
                    if (++seen == limit)
                    {
                        return ExitCodes.Ok;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a live watch normally ends.
                return ExitCodes.Ok;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }

            session.Err.MarkupLine("[yellow]the ALB ended the event stream (it is stopping)[/]");
            return ExitCodes.Unavailable;
        });
        return command;
    }

    public static string Describe(ConfigEvent configEvent)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(configEvent.Timestamp).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var text = configEvent.EventCase switch
        {
            ConfigEvent.EventOneofCase.ConfigApplied =>
                $"[blue]config[/]  version {configEvent.ConfigApplied.Version} ({Markup.Escape(configEvent.ConfigApplied.Rpc)})",
            ConfigEvent.EventOneofCase.Node => Node(configEvent.Node),
            ConfigEvent.EventOneofCase.Envoy =>
                $"[magenta]envoy[/]   {Markup.Escape(configEvent.Envoy.State)} epoch {configEvent.Envoy.Epoch}{Markup.Escape(configEvent.Envoy.Version.Length > 0 ? " " + configEvent.Envoy.Version : string.Empty)}",
            _ => $"[grey]event[/]   {Markup.Escape(configEvent.ToString())}",
        };
        return $"[grey]{time}[/]  {text}";
    }

    private static string Node(XdsNodeEvent node)
    {
        var colour = node.Event switch
        {
            "nacked" => "red",
            "acked" => "green",
            "disconnected" => "yellow",
            _ => "default",
        };
        var detail = node.TypeUrl.Length > 0 ? $" {Output.Views.ShortType(node.TypeUrl)} v{node.Version}" : string.Empty;
        var error = node.Error.Length > 0 ? $": {node.Error}" : string.Empty;
        return $"[cyan]node[/]    {Markup.Escape(node.NodeId)} ({Markup.Escape(node.Kind)}) [{colour}]{Markup.Escape(node.Event)}[/]{Markup.Escape(detail + error)}";
    }
}
