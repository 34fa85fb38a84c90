using System.CommandLine;
using MarchProxy.Api.V1;
using MarchProxy.Cli.Parsing;

namespace MarchProxy.Cli.Commands;

/// <summary><c>rate-limit ROUTE 1000/s [--burst 100] [--wait]</c>, or <c>rate-limit ROUTE off</c>: ApplyRateLimit.</summary>
public static class RateLimitCommand
{
    public static Command Create(CommandRunner runner)
    {
        var route = new Argument<string>("route") { Description = "The route to limit." };
        var rate = new Argument<string>("rate") { Description = "Requests per second, e.g. 1000/s; 'off' removes the limit." };
        var burst = new Option<int?>("--burst", "-b") { Description = "The token bucket's size (default: the rate)." };
        var wait = CommonOptions.Wait();
        var command = new Command("rate-limit", "Set or remove a route's local (per-Envoy) rate limit.") { route, rate, burst, wait };
        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(rate);
            var config = text.Equals("off", StringComparison.OrdinalIgnoreCase)
                ? new RateLimitConfig { Enabled = false }
                : new RateLimitConfig { RequestsPerSecond = ArgumentParsers.Rate(text), BurstSize = parse.GetValue(burst) ?? 0, Enabled = true };
            var response = await session.Client.ApplyRateLimitAsync(parse.GetRequiredValue(route), config, parse.GetValue(wait), cancellationToken);
            session.WriteResponse(response);
            return ExitCodes.Ok;
        });
        return command;
    }
}
