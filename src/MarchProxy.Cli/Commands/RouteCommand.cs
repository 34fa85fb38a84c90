using System.CommandLine;
using MarchProxy.Api.V1;
using MarchProxy.Cli.Parsing;

namespace MarchProxy.Cli.Commands;

/// <summary><c>route upsert NAME ...</c> and <c>route delete NAME</c>.</summary>
public static class RouteCommand
{
    public static Command Create(CommandRunner runner) => new("route", "Create, replace or delete a route.")
    {
        Upsert(runner),
        DeleteCommand.Create(runner, "route", (session, name, wait, token) => session.Client.DeleteRouteAsync(name, wait, token)),
    };

    private static Command Upsert(CommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "The route's name." };
        var prefix = new Option<string>("--prefix") { Description = "Match a path prefix (default /)." };
        var path = new Option<string>("--path") { Description = "Match an exact path." };
        var regex = new Option<string>("--regex") { Description = "Match the whole path with an RE2 regular expression." };
        var cluster = new Option<string>("--cluster", "-c") { Description = "The cluster that gets the traffic." };
        var weights = new Option<string[]>("--weight") { Description = "CLUSTER=WEIGHT, repeatable: split by weight instead of --cluster.", AllowMultipleArgumentsPerToken = false };
        var hosts = new Option<string[]>("--host") { Description = "A virtual-host domain, repeatable (default *)." };
        var headers = new Option<string[]>("--header") { Description = "NAME=VALUE: a request header that must match exactly, repeatable." };
        var timeout = new Option<string>("--timeout") { Description = "The route's request timeout, e.g. 15s (default: Envoy's 15s)." };
        var rate = new Option<string>("--rate-limit") { Description = "A local rate limit in requests per second, e.g. 1000/s." };
        var burst = new Option<int?>("--burst") { Description = "The rate limit's bucket (default: the rate)." };
        var retryOn = new Option<string>("--retry-on") { Description = "Envoy's retry_on conditions, e.g. 5xx,connect-failure." };
        var numRetries = new Option<uint?>("--num-retries") { Description = "How many retries (with --retry-on; default 1)." };
        var perTry = new Option<string>("--per-try-timeout") { Description = "Timeout of each retry, e.g. 2s." };
        var websocket = new Option<bool>("--websocket") { Description = "Allow WebSocket upgrades." };
        var disabled = new Option<bool>("--disabled") { Description = "Store the route disabled (it serves no traffic)." };
        var validateOnly = CommonOptions.ValidateOnly();
        var wait = CommonOptions.Wait();
        var command = new Command("upsert", "Create or replace a route (every setting not given is reset to its default).")
        {
            name, prefix, path, regex, cluster, weights, hosts, headers, timeout, rate, burst, retryOn, numRetries, perTry, websocket, disabled, validateOnly, wait,
        };

        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var route = new RouteConfig
            {
                Name = parse.GetRequiredValue(name),
                Prefix = parse.GetValue(prefix) ?? string.Empty,
                Path = parse.GetValue(path) ?? string.Empty,
                Regex = parse.GetValue(regex) ?? string.Empty,
                ClusterName = parse.GetValue(cluster) ?? string.Empty,
                Websocket = parse.GetValue(websocket),
                Enabled = !parse.GetValue(disabled),
            };
            if (route.Prefix.Length == 0 && route.Path.Length == 0 && route.Regex.Length == 0)
            {
                route.Prefix = "/";
            }

            route.Weights.AddRange((parse.GetValue(weights) ?? []).Select(ArgumentParsers.Weight));
            route.Hosts.AddRange(parse.GetValue(hosts) ?? []);
            foreach (var (headerName, value) in (parse.GetValue(headers) ?? []).Select(ArgumentParsers.Header))
            {
                route.Headers[headerName] = value;
            }

            if (parse.GetValue(timeout) is { } timeoutText)
            {
                route.TimeoutSeconds = (int)Math.Ceiling(DurationText.Parse("--timeout", timeoutText).TotalSeconds);
            }

            if (parse.GetValue(rate) is { } rateText)
            {
                route.RateLimit = new RateLimitConfig { RequestsPerSecond = ArgumentParsers.Rate(rateText), BurstSize = parse.GetValue(burst) ?? 0, Enabled = true };
            }
            else if (parse.GetValue(burst) is not null)
            {
                throw new UsageException("--burst needs --rate-limit");
            }

            var retries = parse.GetValue(numRetries);
            var perTryText = parse.GetValue(perTry);
            if (parse.GetValue(retryOn) is { } conditions || retries is not null || perTryText is not null)
            {
                route.Retry = new RetryPolicy
                {
                    RetryOn = parse.GetValue(retryOn) ?? string.Empty,
                    NumRetries = retries ?? 1,
                    PerTryTimeoutMs = perTryText is null ? 0 : (uint)DurationText.Parse("--per-try-timeout", perTryText).TotalMilliseconds,
                };
            }

            var response = await session.Client.UpsertRouteAsync(route, parse.GetValue(wait), parse.GetValue(validateOnly), cancellationToken);
            session.WriteResponse(response);
            return ExitCodes.Ok;
        });
        return command;
    }
}
