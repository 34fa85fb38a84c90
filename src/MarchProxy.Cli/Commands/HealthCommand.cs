using System.CommandLine;
using Spectre.Console;

namespace MarchProxy.Cli.Commands;

/// <summary>
/// <c>health [--live] [--url URL]</c>: GET /readyz (or /healthz) on the ALB's health port. Exit 0 when
/// it answers 200, 12 when it answers otherwise, 7 when it does not answer. Made for container health
/// checks: no API key is needed.
/// </summary>
public static class HealthCommand
{
    public static Command Create(CommandRunner runner)
    {
        var live = new Option<bool>("--live") { Description = "Check /healthz (the process runs) instead of /readyz (config served, Envoy ready)." };
        var url = new Option<string>("--url") { Description = "The full URL to check (default: the --server host, HEALTH_PORT or 8080, /readyz)." };
        var command = new Command("health", "Check the ALB's /readyz (or /healthz with --live) on its health port; for scripts and container health checks.") { live, url };
        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var target = parse.GetValue(url) is { } given
                ? (Uri.TryCreate(given, UriKind.Absolute, out var parsed) ? parsed : throw new UsageException($"--url: '{given}' is not an absolute URL"))
                : DefaultUrl(session, parse.GetValue(live));

            using var http = new HttpClient { Timeout = session.ClientOptions.Timeout ?? TimeSpan.FromSeconds(10) };
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync(target, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                session.Err.MarkupLine($"[red]error:[/] {Markup.Escape($"{target} did not answer: {e.Message}")}");
                return ExitCodes.Unavailable;
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var ok = response.IsSuccessStatusCode;
                if (session.Json)
                {
                    session.Context.Output.WriteLine(body.Length > 0 ? body.Trim() : $"{{\"status\":{(int)response.StatusCode}}}");
                }
                else
                {
                    var mark = ok ? "[green]✓[/]" : "[red]✗[/]";
                    session.Out.MarkupLine($"{mark} {Markup.Escape($"{target} answered {(int)response.StatusCode}")}");
                    if (body.Length > 0)
                    {
                        session.Out.WriteLine(body.Trim());
                    }
                }

                return ok ? ExitCodes.Ok : ExitCodes.NotReady;
            }
        });
        return command;
    }

    private static Uri DefaultUrl(CommandSession session, bool live)
    {
        var port = session.Context.Environment("HEALTH_PORT") is { Length: > 0 } text ? text : "8080";
        var host = session.ClientOptions.Address.Host;
        host = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return new Uri($"http://{host}:{port}/{(live ? "healthz" : "readyz")}");
    }
}
