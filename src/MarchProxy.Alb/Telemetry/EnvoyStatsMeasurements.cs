using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Turns the bridge's cached Envoy stats into measurements for <see cref="AlbMetrics"/>' observable
/// instruments. Never waits for Envoy (<see cref="EnvoyStatsBridge.Peek"/>). Each label (stat
/// prefix, cluster, route) is capped by a <see cref="BoundedLabelSet"/>: counters of names past the
/// cap are summed under <c>other</c>; latency gauges are reported for admitted names only (quantiles
/// cannot be summed). Nothing is reported in control-plane-only mode or before the first read.
/// </summary>
public sealed class EnvoyStatsMeasurements
{
    private const double MillisecondsPerSecond = 1000.0;

    private readonly EnvoyStatsBridge _bridge;
    private readonly ServedConfig _servedConfig;
    private readonly BoundedLabelSet _statPrefixes;
    private readonly BoundedLabelSet _clusters;
    private readonly BoundedLabelSet _routes;

    public EnvoyStatsMeasurements(EnvoyStatsBridge bridge, ServedConfig servedConfig, IOptions<TelemetryOptions> options)
    {
        _bridge = bridge;
        _servedConfig = servedConfig;
        var limit = options.Value.MaxLabelValues;
        _statPrefixes = new BoundedLabelSet(limit);
        _clusters = new BoundedLabelSet(limit);
        _routes = new BoundedLabelSet(limit);
    }

    public IEnumerable<Measurement<long>> DownstreamRequests() =>
        Counters(Sample()?.Downstream.Select(d => Pair(d.Key, d.Value.Requests.Total)), _statPrefixes, "stat_prefix");

    public IEnumerable<Measurement<long>> DownstreamResponses() =>
        ByClass(Sample()?.Downstream.Select(d => KeyValuePair.Create(d.Key, d.Value.Requests)), _statPrefixes, "stat_prefix");

    public IEnumerable<Measurement<long>> DownstreamConnections() =>
        Counters(Sample()?.Downstream.Select(d => Pair(d.Key, d.Value.ConnectionsTotal)), _statPrefixes, "stat_prefix");

    public IEnumerable<Measurement<long>> DownstreamConnectionsActive() =>
        Counters(Sample()?.Downstream.Select(d => Pair(d.Key, d.Value.ConnectionsActive)), _statPrefixes, "stat_prefix");

    public IEnumerable<Measurement<double>> DownstreamRequestTime() =>
        Quantiles(Sample()?.Downstream.Select(d => KeyValuePair.Create(d.Key, d.Value.RequestTime)), _statPrefixes, "stat_prefix");

    public IEnumerable<Measurement<long>> UpstreamRequests() =>
        Counters(Sample()?.Upstream.Select(u => Pair(u.Key, u.Value.Requests.Total)), _clusters, "cluster");

    public IEnumerable<Measurement<long>> UpstreamResponses() =>
        ByClass(Sample()?.Upstream.Select(u => KeyValuePair.Create(u.Key, u.Value.Requests)), _clusters, "cluster");

    public IEnumerable<Measurement<double>> UpstreamRequestTime() =>
        Quantiles(Sample()?.Upstream.Select(u => KeyValuePair.Create(u.Key, u.Value.RequestTime)), _clusters, "cluster");

    public IEnumerable<Measurement<long>> RateLimited() => Counters(Sample()?.RateLimited, _routes, "route");

    public IEnumerable<Measurement<long>> RouteRequests() =>
        Counters(Routes()?.Select(r => Pair(r.Key, r.Value.Requests)), _routes, "route");

    public IEnumerable<Measurement<long>> RouteErrors() =>
        Counters(Routes()?.Select(r => Pair(r.Key, r.Value.Errors)), _routes, "route");

    public IEnumerable<Measurement<double>> RouteRequestTime()
    {
        var measurements = new List<Measurement<double>>();
        foreach (var (route, traffic) in Routes() ?? new Dictionary<string, RouteTraffic>())
        {
            if (traffic.Requests == 0 || _routes.Map(route) != route)
            {
                continue;
            }

            foreach (var (quantile, value) in LatencySummary.ExportedQuantiles)
            {
                measurements.Add(new Measurement<double>(
                    value(traffic.Latency) / MillisecondsPerSecond,
                    new KeyValuePair<string, object?>("route", route),
                    new KeyValuePair<string, object?>("quantile", quantile)));
            }
        }

        return measurements;
    }

    public IEnumerable<Measurement<double>> RouteMeanRequestTime() =>
        (Routes() ?? new Dictionary<string, RouteTraffic>())
            .Where(r => r.Value.Requests > 0 && _routes.Map(r.Key) == r.Key)
            .Select(r => new Measurement<double>(r.Value.Latency.Mean / MillisecondsPerSecond, new KeyValuePair<string, object?>("route", r.Key)))
            .ToList();

    public IEnumerable<Measurement<int>> Stale()
    {
        var reading = _bridge.Peek();
        return reading.Status == EnvoyStatsStatus.Absent ? [] : [new Measurement<int>(reading.Status == EnvoyStatsStatus.Stale ? 1 : 0)];
    }

    public IEnumerable<Measurement<double>> Age()
    {
        var reading = _bridge.Peek();
        return reading.HasSample
            ? [new Measurement<double>(Math.Max(0, (_bridge.Clock.GetUtcNow() - reading.Current.Timestamp).TotalSeconds))]
            : [];
    }

    private EnvoyStatsSample? Sample()
    {
        var reading = _bridge.Peek();
        return reading.HasSample ? reading.Current : null;
    }

    private IReadOnlyDictionary<string, RouteTraffic>? Routes() =>
        Sample() is { } sample ? RouteTraffic.For(_servedConfig.Current, sample) : null;

    private static KeyValuePair<string, long> Pair(string key, long value) => KeyValuePair.Create(key, value);

    private static List<Measurement<long>> Counters(IEnumerable<KeyValuePair<string, long>>? values, BoundedLabelSet labels, string labelName)
    {
        if (values is null)
        {
            return [];
        }

        return labels.Sum(values, (a, b) => a + b)
            .Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>(labelName, s.Key)))
            .ToList();
    }

    private static List<Measurement<long>> ByClass(IEnumerable<KeyValuePair<string, RequestCounts>>? values, BoundedLabelSet labels, string labelName)
    {
        if (values is null)
        {
            return [];
        }

        var measurements = new List<Measurement<long>>();
        foreach (var (label, counts) in labels.Sum(values, (a, b) => a.Add(b)))
        {
            foreach (var (statusClass, value) in RequestCounts.Classes)
            {
                measurements.Add(new Measurement<long>(
                    value(counts),
                    new KeyValuePair<string, object?>(labelName, label),
                    new KeyValuePair<string, object?>("class", statusClass)));
            }
        }

        return measurements;
    }

    private static List<Measurement<double>> Quantiles(IEnumerable<KeyValuePair<string, HistogramWindows>>? values, BoundedLabelSet labels, string labelName)
    {
        if (values is null)
        {
            return [];
        }

        var measurements = new List<Measurement<double>>();
        foreach (var (name, windows) in values)
        {
            if (labels.Map(name) != name)
            {
                continue;
            }

            AddWindow(measurements, labelName, name, "interval", windows.Interval);
            AddWindow(measurements, labelName, name, "cumulative", windows.Cumulative);
        }

        return measurements;
    }

    private static void AddWindow(List<Measurement<double>> into, string labelName, string name, string window, LatencySummary? summary)
    {
        if (summary is null)
        {
            return;
        }

        foreach (var (quantile, value) in LatencySummary.ExportedQuantiles)
        {
            into.Add(new Measurement<double>(
                value(summary) / MillisecondsPerSecond,
                new KeyValuePair<string, object?>(labelName, name),
                new KeyValuePair<string, object?>("quantile", quantile),
                new KeyValuePair<string, object?>("window", window)));
        }
    }
}
