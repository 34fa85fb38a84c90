using System.Globalization;
using MarchProxy.Api.V1;
using Spectre.Console;

namespace MarchProxy.Cli.Output;

/// <summary>The tables a person reads: status, routes, clusters and metrics.</summary>
public static class Views
{
    public static void Status(IAnsiConsole console, StatusResponse status)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        Row(grid, "Module", $"{status.ModuleId} ({status.ModuleType}) version {status.Version}");
        grid.AddRow(new Markup("[grey]Health[/]"), new Markup($"{HealthMarkup(status.Health)}  [grey]uptime[/] {Markup.Escape(Uptime(status.UptimeSeconds))}"));
        Row(grid, "Config", $"version {status.ConfigVersion}");
        Row(grid, "Envoy", string.Join(" ", new[] { status.EnvoyState, status.EnvoyVersion }.Where(s => s.Length > 0)));
        foreach (var (key, value) in status.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            Row(grid, key, value);
        }

        console.Write(grid);
        if (status.XdsNodes.Count == 0)
        {
            console.MarkupLine("[grey]No xDS node has connected.[/]");
            return;
        }

        var table = new Table().AddColumns("Node", "Kind", "Connected", "ACKed (type: version)", "Last NACK");
        foreach (var node in status.XdsNodes)
        {
            var acked = string.Join("\n", node.AckedVersions.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{ShortType(a.Key)}: {a.Value}"));
            var nack = node.LastNackError.Length == 0 ? "-" : $"{ShortType(node.LastNackType)} v{node.LastNackVersion}: {node.LastNackError}";
            table.AddRow(
                new Text(node.NodeId),
                new Text(node.Kind),
                new Markup(node.Connected ? "[green]yes[/]" : "[grey]no[/]"),
                new Text(acked.Length == 0 ? "-" : acked),
                new Text(nack));
        }

        console.Write(table);
    }

    public static void Routes(IAnsiConsole console, RoutesResponse routes)
    {
        var table = new Table().AddColumns("Route", "Match", "Hosts", "Backends", "Timeout", "Rate limit", "Options", "Enabled");
        foreach (var route in routes.Routes.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var options = new List<string>();
            if (route.Retry is { } retry)
            {
                options.Add($"retry {retry.RetryOn} x{retry.NumRetries}");
            }

            if (route.Websocket)
            {
                options.Add("websocket");
            }

            table.AddRow(
                new Text(route.Name),
                new Text(Match(route)),
                new Text(route.Hosts.Count == 0 ? "*" : string.Join(", ", route.Hosts)),
                new Text(route.Weights.Count > 0 ? string.Join(", ", route.Weights.Select(w => $"{w.BackendName}={w.Weight}")) : route.ClusterName),
                new Text(route.TimeoutSeconds == 0 ? "-" : $"{route.TimeoutSeconds}s"),
                new Text(route.RateLimit is { Enabled: true } limit ? $"{limit.RequestsPerSecond}/s burst {limit.BurstSize}" : "-"),
                new Text(options.Count == 0 ? "-" : string.Join(", ", options)),
                new Markup(route.Enabled ? "[green]yes[/]" : "[yellow]no[/]"));
        }

        console.Write(table);
        console.MarkupLine($"[grey]{routes.Routes.Count} route(s), config version {routes.Version}[/]");
    }

    public static void Clusters(IAnsiConsole console, ClustersResponse clusters)
    {
        var table = new Table().AddColumns("Cluster", "Endpoints", "Policy", "Connect", "Options");
        foreach (var cluster in clusters.Clusters.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var options = new List<string>();
            if (cluster.Http2)
            {
                options.Add("http2");
            }

            if (cluster.Tls is { Enabled: true } tls)
            {
                options.Add(tls.Sni.Length == 0 ? "tls" : $"tls sni={tls.Sni}");
            }

            if (cluster.HealthCheck is { } check)
            {
                options.Add(check.HttpPath.Length == 0 ? "health tcp" : $"health {check.HttpPath}");
            }

            if (cluster.OutlierDetection is not null)
            {
                options.Add("outlier detection");
            }

            if (cluster.CircuitBreakers is not null)
            {
                options.Add("circuit breakers");
            }

            table.AddRow(
                new Text(cluster.Name),
                new Text(string.Join("\n", cluster.Endpoints.Select(e => $"{Host(e.Address)}:{e.Port}" + (e.Weight > 1 ? $" w{e.Weight}" : string.Empty)))),
                new Text(cluster.LbPolicy),
                new Text($"{cluster.ConnectTimeoutMs}ms"),
                new Text(options.Count == 0 ? "-" : string.Join(", ", options)));
        }

        console.Write(table);
        console.MarkupLine($"[grey]{clusters.Clusters.Count} cluster(s), config version {clusters.Version}[/]");
    }

    public static void Metrics(IAnsiConsole console, MetricsResponse metrics)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        Row(grid, "Sampled", DateTimeOffset.FromUnixTimeMilliseconds(metrics.Timestamp).ToString("u", CultureInfo.InvariantCulture));
        Row(grid, "Connections", $"{metrics.ActiveConnections} active, {metrics.TotalConnections} total");
        Row(grid, "Requests", $"{metrics.TotalRequests} total, {metrics.RequestsPerSecond}/s");
        if (metrics.Latency is { } latency)
        {
            Row(grid, "Latency", string.Create(CultureInfo.InvariantCulture, $"p50 {latency.P50Ms:0.##} ms, p90 {latency.P90Ms:0.##}, p95 {latency.P95Ms:0.##}, p99 {latency.P99Ms:0.##}, avg {latency.AvgMs:0.##}"));
        }

        Row(grid, "Status", metrics.StatusCodes.Count == 0 ? "-" : string.Join(", ", metrics.StatusCodes.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {s.Value}")));
        console.Write(grid);
        if (metrics.Routes.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Route", "Requests", "Errors", "Avg latency");
        foreach (var (name, route) in metrics.Routes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            table.AddRow(name, Number(route.Requests), Number(route.Errors), string.Create(CultureInfo.InvariantCulture, $"{route.AvgLatencyMs:0.##} ms"));
        }

        console.Write(table);
    }

    public static string Match(RouteConfig route)
    {
        var match = route.Path.Length > 0 ? $"path {route.Path}"
            : route.Regex.Length > 0 ? $"regex {route.Regex}"
            : $"prefix {(route.Prefix.Length == 0 ? "/" : route.Prefix)}";
        return route.Headers.Count == 0 ? match : match + " " + string.Join(" ", route.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={h.Value}"));
    }

    public static string ShortType(string typeUrl) => typeUrl.Length == 0 ? "-" : typeUrl[(typeUrl.LastIndexOf('.') + 1)..];

    private static string Host(string address) => address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Row(Grid grid, string label, string value) =>
        grid.AddRow(new Markup($"[grey]{Markup.Escape(label)}[/]"), new Text(value));

    private static string HealthMarkup(HealthStatus health) => health switch
    {
        HealthStatus.Healthy => "[green]HEALTHY[/]",
        HealthStatus.Degraded or HealthStatus.Starting or HealthStatus.Stopping => $"[yellow]{health.ToString().ToUpperInvariant()}[/]",
        HealthStatus.Unhealthy => "[red]UNHEALTHY[/]",
        _ => Markup.Escape(health.ToString()),
    };

    private static string Uptime(long seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
            : span.TotalHours >= 1 ? $"{span.Hours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
            : $"{span.Seconds}s";
    }
}
