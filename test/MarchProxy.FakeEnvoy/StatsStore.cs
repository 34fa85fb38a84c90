using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MarchProxy.FakeEnvoy;

/// <summary>
/// Counters, gauges and histograms in Envoy's names. Server, xDS and connection stats follow the fake's
/// state; tests set or override any stat through POST /fake/stats or FAKE_ENVOY_STATS_FILE, with a JSON
/// body {"counters":{name:value}, "gauges":{name:value}, "histograms":{name:[samples]}}. After
/// /drain_listeners, each /stats read lowers server.total_connections by the drain step, so a graceful
/// stop sees the connections go to zero over a few polls.
/// </summary>
internal sealed partial class StatsStore(ServerState state, XdsProgress xds, FakeSettings settings, int concurrency)
{
    public const string TotalConnections = "server.total_connections";

    private static readonly double[] SupportedQuantiles = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100];
    private static readonly double[] Buckets = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _gauges = new(StringComparer.Ordinal) { [TotalConnections] = 0 };
    private readonly Dictionary<string, List<double>> _histograms = new(StringComparer.Ordinal);

    public void Apply(JsonElement body)
    {
        lock (_gate)
        {
            Merge(body, "counters", _counters);
            Merge(body, "gauges", _gauges);
            if (body.TryGetProperty("histograms", out var histograms) && histograms.ValueKind == JsonValueKind.Object)
            {
                foreach (var histogram in histograms.EnumerateObject())
                {
                    _histograms[histogram.Name] = [.. histogram.Value.EnumerateArray().Select(v => v.GetDouble())];
                }
            }
        }
    }

    public string RenderJson(string? filter)
    {
        var regex = filter is null ? null : new Regex(filter, RegexOptions.None, TimeSpan.FromSeconds(1));
        var (counters, gauges, histograms) = Read();
        var stats = new List<object>();
        foreach (var (name, value) in counters.Concat(gauges).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (regex is null || regex.IsMatch(name))
            {
                stats.Add(new Dictionary<string, object> { ["name"] = name, ["value"] = value });
            }
        }

        var computed = histograms.Where(h => regex is null || regex.IsMatch(h.Key)).OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => new Dictionary<string, object>
            {
                ["name"] = h.Key,
                ["values"] = SupportedQuantiles.Select(q => Quantile(h.Value, q))
                    .Select(v => new Dictionary<string, double?> { ["interval"] = v, ["cumulative"] = v }).ToList(),
            }).ToList();
        stats.Add(new Dictionary<string, object>
        {
            ["histograms"] = new Dictionary<string, object> { ["supported_quantiles"] = SupportedQuantiles, ["computed_quantiles"] = computed },
        });
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["stats"] = stats });
    }

    public string RenderText(string? filter)
    {
        var regex = filter is null ? null : new Regex(filter, RegexOptions.None, TimeSpan.FromSeconds(1));
        var (counters, gauges, _) = Read();
        var text = new StringBuilder();
        foreach (var (name, value) in counters.Concat(gauges).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (regex is null || regex.IsMatch(name))
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}: {value}\n");
            }
        }

        return text.ToString();
    }

    public string RenderPrometheus()
    {
        var (counters, gauges, histograms) = Read();
        var text = new StringBuilder();
        WriteFamily(text, counters, "counter");
        WriteFamily(text, gauges, "gauge");
        foreach (var group in histograms.Select(h => (Metric: PrometheusName(h.Key), h.Value)).GroupBy(h => h.Metric.Name, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"# TYPE {group.Key} histogram\n");
            foreach (var (metric, samples) in group)
            {
                foreach (var bound in Buckets)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{group.Key}_bucket{Labels(metric.Labels, ("le", bound.ToString(CultureInfo.InvariantCulture)))} {samples.Count(s => s <= bound)}\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"{group.Key}_bucket{Labels(metric.Labels, ("le", "+Inf"))} {samples.Count}\n");
                text.Append(CultureInfo.InvariantCulture, $"{group.Key}_sum{Labels(metric.Labels)} {samples.Sum().ToString(CultureInfo.InvariantCulture)}\n");
                text.Append(CultureInfo.InvariantCulture, $"{group.Key}_count{Labels(metric.Labels)} {samples.Count}\n");
            }
        }

        return text.ToString();
    }

    private (Dictionary<string, long> Counters, Dictionary<string, long> Gauges, Dictionary<string, List<double>> Histograms) Read()
    {
        var progress = xds.Snapshot();
        lock (_gate)
        {
            if (state.ListenersDraining && _gauges[TotalConnections] > 0)
            {
                _gauges[TotalConnections] = Math.Max(0, _gauges[TotalConnections] - settings.DrainStep);
            }

            var counters = new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["cluster_manager.cds.update_success"] = progress.Accepted("cds"),
                ["cluster_manager.cds.update_rejected"] = progress.Rejected("cds"),
                ["listener_manager.lds.update_success"] = progress.Accepted("lds"),
                ["listener_manager.lds.update_rejected"] = progress.Rejected("lds"),
            };
            var gauges = new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["server.live"] = state.State == "LIVE" ? 1 : 0,
                ["server.state"] = state.StateNumber,
                ["server.hot_restart_epoch"] = state.Epoch,
                ["server.concurrency"] = concurrency,
                ["server.uptime"] = (long)state.Uptime.TotalSeconds,
                ["control_plane.connected_state"] = progress.Connected ? 1 : 0,
                ["cluster_manager.active_clusters"] = progress.Count("cds"),
                ["listener_manager.total_listeners_active"] = progress.Count("lds"),
            };
            foreach (var (name, value) in _counters)
            {
                counters[name] = value;
            }

            foreach (var (name, value) in _gauges)
            {
                gauges[name] = value;
            }

            return (counters, gauges, _histograms.ToDictionary(h => h.Key, h => h.Value.ToList(), StringComparer.Ordinal));
        }
    }

    private static double? Quantile(List<double> samples, double percent)
    {
        if (samples.Count == 0)
        {
            return null;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private static void Merge(JsonElement body, string property, Dictionary<string, long> target)
    {
        if (body.TryGetProperty(property, out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var value in values.EnumerateObject())
            {
                target[value.Name] = value.Value.GetInt64();
            }
        }
    }

    private static void WriteFamily(StringBuilder text, Dictionary<string, long> values, string type)
    {
        foreach (var group in values.Select(v => (Metric: PrometheusName(v.Key), v.Value)).GroupBy(v => v.Metric.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"# TYPE {group.Key} {type}\n");
            foreach (var (metric, value) in group)
            {
                text.Append(CultureInfo.InvariantCulture, $"{group.Key}{Labels(metric.Labels)} {value}\n");
            }
        }
    }

    /// <summary>Envoy's default tag extraction for the common prefixes, then "envoy_" + the name with '.' as '_'.</summary>
    private static (string Name, (string Key, string Value)[] Labels) PrometheusName(string stat)
    {
        foreach (var (pattern, tag) in TagRules)
        {
            var match = pattern.Match(stat);
            if (match.Success)
            {
                var rest = stat.Remove(match.Groups[1].Index, match.Groups[1].Length);
                return (Sanitize(rest), [(tag, match.Groups[2].Value)]);
            }
        }

        return (Sanitize(stat), []);
    }

    private static readonly (Regex Pattern, string Tag)[] TagRules =
    [
        (ClusterTag(), "envoy_cluster_name"),
        (HttpTag(), "envoy_http_conn_manager_prefix"),
        (ListenerTag(), "envoy_listener_address"),
    ];

    private static string Sanitize(string name) => "envoy_" + NotAllowed().Replace(name, "_");

    private static string Labels((string Key, string Value)[] labels, params (string Key, string Value)[] more)
    {
        var all = labels.Concat(more).ToArray();
        return all.Length == 0 ? string.Empty : "{" + string.Join(',', all.Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
    }

    [GeneratedRegex(@"^cluster\.((.+?)\.)")]
    private static partial Regex ClusterTag();

    [GeneratedRegex(@"^http\.((.*?)\.)")]
    private static partial Regex HttpTag();

    [GeneratedRegex(@"^listener\.((\d+\.\d+\.\d+\.\d+_\d+|[^.]+)\.)")]
    private static partial Regex ListenerTag();

    [GeneratedRegex("[^a-zA-Z0-9_]")]
    private static partial Regex NotAllowed();
}
