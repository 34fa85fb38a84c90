using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarchProxy.Alb.Telemetry;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>deploy/grafana-dashboard.json and docs/MONITORING.md stay in step with the instruments.</summary>
public sealed partial class DashboardAndDocsTests
{
    private static readonly string RepositoryRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", ".."));

    [Test]
    public void Dashboard_EveryQuery_NamesAnExportedSeries()
    {
        var series = Instruments().SelectMany(i => PrometheusSeries(i)).ToHashSet(StringComparer.Ordinal);
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "deploy", "grafana-dashboard.json")));

        var expressions = Panels(dashboard.RootElement)
            .SelectMany(p => p.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        var named = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);

        expressions.Should().NotBeEmpty();
        named.Should().BeSubsetOf(series);
        named.Should().Contain(
        [
            "marchproxy_xds_push_to_ack_duration_seconds_bucket", "marchproxy_xds_acks_total", "marchproxy_xds_nacks_total",
            "marchproxy_xds_streams_active", "marchproxy_envoy_route_requests_total", "marchproxy_envoy_route_errors_total",
            "marchproxy_envoy_route_request_time_seconds", "marchproxy_envoy_ratelimited_total", "marchproxy_envoy_restarts_total",
        ]);
    }

    [Test]
    public void Dashboard_UsesThePrometheusDataSourceVariableEverywhere()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "deploy", "grafana-dashboard.json")));
        var root = dashboard.RootElement;

        var variable = root.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "datasource");
        variable.GetProperty("type").GetString().Should().Be("datasource");
        variable.GetProperty("query").GetString().Should().Be("prometheus");
        Panels(root).Where(p => p.GetProperty("type").GetString() != "row")
            .Should().OnlyContain(p => p.GetProperty("datasource").GetProperty("uid").GetString() == "${datasource}");
        Panels(root).Select(p => p.GetProperty("id").GetInt32()).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void MonitoringDoc_ListsEveryInstrumentAndItsPrometheusName()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "MONITORING.md"));

        foreach (var instrument in Instruments())
        {
            doc.Should().Contain($"`{instrument.Name}`");
            doc.Should().Contain($"`{PrometheusName(instrument)}`");
        }
    }

    /// <summary>Every instrument of <see cref="AlbMetrics"/>, as published on its meter.</summary>
    private static List<Instrument> Instruments()
    {
        using var harness = new MetricsHarness();
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == AlbMetrics.MeterName)
                {
                    instruments.Add(instrument);
                }
            },
        };
        listener.Start();
        instruments.Should().HaveCountGreaterThan(20);
        return instruments;
    }

    /// <summary>The name OpenTelemetry's Prometheus exporter gives an instrument (the family name for a histogram).</summary>
    private static string PrometheusName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        if (instrument.Unit == "s")
        {
            name += "_seconds";
        }

        var isCounter = instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal)
            || instrument.GetType().Name.StartsWith("ObservableCounter", StringComparison.Ordinal);
        return isCounter ? name + "_total" : name;
    }

    private static IEnumerable<string> PrometheusSeries(Instrument instrument)
    {
        var name = PrometheusName(instrument);
        return instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal)
            ? [name + "_bucket", name + "_sum", name + "_count"]
            : [name];
    }

    private static List<JsonElement> Panels(JsonElement root) => [.. root.GetProperty("panels").EnumerateArray()];

    private static string ThisFile([CallerFilePath] string path = "") => path;

    [GeneratedRegex(@"marchproxy_[a-z_]+")]
    private static partial Regex MetricName();
}
