using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// A latency histogram over Envoy's two windows: the last stats-flush interval (5 s by default)
/// and since Envoy started. Either is null when it has no samples.
/// </summary>
public sealed record HistogramWindows(LatencySummary? Interval, LatencySummary? Cumulative)
{
    public static HistogramWindows None { get; } = new(null, null);

    /// <summary>The recent view: the last interval when it had requests, else since Envoy started.</summary>
    public LatencySummary? Recent => Interval ?? Cumulative;

    public static HistogramWindows From(EnvoyStats stats, IReadOnlyDictionary<string, EnvoyHistogram> histograms, string name) =>
        histograms.TryGetValue(name, out var histogram)
            ? new HistogramWindows(
                LatencySummary.From(stats.SupportedQuantiles, histogram, cumulative: false),
                LatencySummary.From(stats.SupportedQuantiles, histogram, cumulative: true))
            : None;
}
