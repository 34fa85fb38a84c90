using System.CommandLine;
using MarchProxy.Api.V1;
using MarchProxy.Cli.Parsing;

namespace MarchProxy.Cli.Commands;

/// <summary><c>cluster upsert NAME --endpoint HOST:PORT ...</c> and <c>cluster delete NAME</c>.</summary>
public static class ClusterCommand
{
    public static Command Create(CommandRunner runner) => new("cluster", "Create, replace or delete a cluster.")
    {
        Upsert(runner),
        DeleteCommand.Create(runner, "cluster", (session, name, wait, token) => session.Client.DeleteClusterAsync(name, wait, token)),
    };

    private static Command Upsert(CommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "The cluster's name." };
        var endpoints = new Option<string[]>("--endpoint", "-e") { Description = "HOST:PORT[=WEIGHT], repeatable: an IP literal (EDS) or a host name (DNS).", Required = true };
        var policy = new Option<string>("--lb") { Description = "ROUND_ROBIN (default), LEAST_REQUEST, RANDOM, RING_HASH or MAGLEV." };
        var connectTimeout = new Option<string>("--connect-timeout") { Description = "e.g. 2s (default 5s)." };
        var http2 = new Option<bool>("--http2") { Description = "Speak HTTP/2 to the endpoints (gRPC backends)." };
        var healthCheck = new Option<string>("--health-check") { Description = "Active health checks: an HTTP path such as /healthz, or 'tcp'." };
        var healthInterval = new Option<string>("--health-interval") { Description = "Health check interval (default 5s)." };
        var healthTimeout = new Option<string>("--health-timeout") { Description = "Health check timeout (default 1s)." };
        var outlier = new Option<uint?>("--outlier-5xx") { Description = "Eject an endpoint after this many consecutive 5xx (outlier detection with its defaults)." };
        var maxConnections = new Option<uint?>("--max-connections") { Description = "Circuit breaker: connections." };
        var maxPending = new Option<uint?>("--max-pending-requests") { Description = "Circuit breaker: pending requests." };
        var maxRequests = new Option<uint?>("--max-requests") { Description = "Circuit breaker: requests." };
        var upstreamTls = new Option<bool>("--upstream-tls") { Description = "TLS to the endpoints." };
        var sni = new Option<string>("--sni") { Description = "SNI to send (implies --upstream-tls)." };
        var trustedCa = new Option<string>("--trusted-ca-file") { Description = "PEM file (on the ALB's machine) of CAs that Envoy trusts upstream (implies --upstream-tls)." };
        var validateOnly = CommonOptions.ValidateOnly();
        var wait = CommonOptions.Wait();
        var command = new Command("upsert", "Create or replace a cluster (every setting not given is reset to its default).")
        {
            name, endpoints, policy, connectTimeout, http2, healthCheck, healthInterval, healthTimeout, outlier,
            maxConnections, maxPending, maxRequests, upstreamTls, sni, trustedCa, validateOnly, wait,
        };

        runner.SetAction(command, async (session, parse, cancellationToken) =>
        {
            var cluster = new ClusterConfig
            {
                Name = parse.GetRequiredValue(name),
                LbPolicy = parse.GetValue(policy)?.ToUpperInvariant() ?? string.Empty,
                ConnectTimeoutMs = Milliseconds(parse.GetValue(connectTimeout), "--connect-timeout"),
                Http2 = parse.GetValue(http2),
            };
            cluster.Endpoints.AddRange(parse.GetRequiredValue(endpoints).Select(ArgumentParsers.Endpoint));
            if (parse.GetValue(healthCheck) is { } check)
            {
                cluster.HealthCheck = new HealthCheckConfig
                {
                    HttpPath = check.Equals("tcp", StringComparison.OrdinalIgnoreCase) ? string.Empty : check,
                    IntervalMs = Milliseconds(parse.GetValue(healthInterval), "--health-interval"),
                    TimeoutMs = Milliseconds(parse.GetValue(healthTimeout), "--health-timeout"),
                };
            }

            if (parse.GetValue(outlier) is { } consecutive)
            {
                cluster.OutlierDetection = new OutlierDetectionConfig { Consecutive5Xx = consecutive };
            }

            if (parse.GetValue(maxConnections) is not null || parse.GetValue(maxPending) is not null || parse.GetValue(maxRequests) is not null)
            {
                cluster.CircuitBreakers = new CircuitBreakerConfig
                {
                    MaxConnections = parse.GetValue(maxConnections) ?? 0,
                    MaxPendingRequests = parse.GetValue(maxPending) ?? 0,
                    MaxRequests = parse.GetValue(maxRequests) ?? 0,
                };
            }

            var sniValue = parse.GetValue(sni);
            var caValue = parse.GetValue(trustedCa);
            if (parse.GetValue(upstreamTls) || sniValue is not null || caValue is not null)
            {
                cluster.Tls = new UpstreamTlsConfig { Enabled = true, Sni = sniValue ?? string.Empty, TrustedCaFile = caValue ?? string.Empty };
            }

            var response = await session.Client.UpsertClusterAsync(cluster, parse.GetValue(wait), parse.GetValue(validateOnly), cancellationToken);
            session.WriteResponse(response);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static uint Milliseconds(string? text, string option) =>
        text is null ? 0 : (uint)DurationText.Parse(option, text).TotalMilliseconds;
}
