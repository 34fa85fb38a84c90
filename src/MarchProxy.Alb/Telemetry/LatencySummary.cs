using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// A latency histogram reduced to the numbers operators read, in milliseconds (Envoy's unit).
/// <see cref="Mean"/> is an approximation: Envoy's JSON stats carry quantiles but no sum, so the
/// mean is the area under the quantile curve (trapezoids between the supported quantiles 0…100).
/// </summary>
public sealed record LatencySummary(double P50, double P90, double P95, double P99, double Mean)
{
    public static LatencySummary Zero { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The quantiles exported on /metrics, as fractions, with their accessor.</summary>
    public static IReadOnlyList<(string Label, Func<LatencySummary, double> Value)> ExportedQuantiles { get; } =
    [
        ("0.5", s => s.P50),
        ("0.9", s => s.P90),
        ("0.95", s => s.P95),
        ("0.99", s => s.P99),
    ];

    /// <summary>
    /// Reduces one window of <paramref name="histogram"/>, whose values are at
    /// <paramref name="quantiles"/> (in percent); null when the window had no samples or Envoy does
    /// not compute the quantiles 50, 90, 95 and 99.
    /// </summary>
    public static LatencySummary? From(IReadOnlyList<double> quantiles, EnvoyHistogram histogram, bool cumulative)
    {
        var values = cumulative ? histogram.Cumulative : histogram.Interval;
        var p50 = At(quantiles, values, 50);
        var p90 = At(quantiles, values, 90);
        var p95 = At(quantiles, values, 95);
        var p99 = At(quantiles, values, 99);
        if (p50 is null || p90 is null || p95 is null || p99 is null)
        {
            return null;
        }

        return new LatencySummary(p50.Value, p90.Value, p95.Value, p99.Value, ApproximateMean(quantiles, values) ?? p50.Value);
    }

    /// <summary>
    /// The request-weighted mean of several summaries (e.g. the clusters behind one route).
    /// Quantiles cannot be combined exactly; they are weighted the same way, as an approximation.
    /// </summary>
    public static LatencySummary Weighted(IEnumerable<(LatencySummary Summary, long Weight)> parts)
    {
        double p50 = 0, p90 = 0, p95 = 0, p99 = 0, mean = 0, total = 0;
        foreach (var (summary, weight) in parts)
        {
            if (weight <= 0)
            {
                continue;
            }

            p50 += summary.P50 * weight;
            p90 += summary.P90 * weight;
            p95 += summary.P95 * weight;
            p99 += summary.P99 * weight;
            mean += summary.Mean * weight;
            total += weight;
        }

        return total == 0 ? Zero : new LatencySummary(p50 / total, p90 / total, p95 / total, p99 / total, mean / total);
    }

    private static double? At(IReadOnlyList<double> quantiles, IReadOnlyList<double?> values, double quantile)
    {
        for (var i = 0; i < quantiles.Count && i < values.Count; i++)
        {
            if (quantiles[i] == quantile)
            {
                return values[i];
            }
        }

        return null;
    }

    private static double? ApproximateMean(IReadOnlyList<double> quantiles, IReadOnlyList<double?> values)
    {
        var count = Math.Min(quantiles.Count, values.Count);
        if (count < 2 || quantiles[0] != 0 || quantiles[count - 1] != 100)
        {
            return null;
        }

        double area = 0;
        for (var i = 1; i < count; i++)
        {
            if (values[i - 1] is not { } low || values[i] is not { } high)
            {
                return null;
            }

            area += (quantiles[i] - quantiles[i - 1]) / 100 * (low + high) / 2;
        }

        return area;
    }
}
