namespace MarchProxy.Supervisor;

/// <summary>
/// Counters and gauges (Envoy's JSON does not tell them apart) and the histogram quantiles of
/// <c>/stats?format=json</c>. Text readouts are left out.
/// </summary>
public sealed class EnvoyStats
{
    public EnvoyStats(
        IReadOnlyDictionary<string, long> values,
        IReadOnlyList<double> supportedQuantiles,
        IReadOnlyList<EnvoyHistogram> histograms)
    {
        Values = values;
        SupportedQuantiles = supportedQuantiles;
        Histograms = histograms;
    }

    public static EnvoyStats Empty { get; } = new(new Dictionary<string, long>(), [], []);

    /// <summary>Counter and gauge values by full stat name.</summary>
    public IReadOnlyDictionary<string, long> Values { get; }

    /// <summary>The quantiles (in percent: 0, 25, 50, …, 100) that every histogram reports.</summary>
    public IReadOnlyList<double> SupportedQuantiles { get; }

    public IReadOnlyList<EnvoyHistogram> Histograms { get; }

    public long? Get(string name) => Values.TryGetValue(name, out var value) ? value : null;
}
