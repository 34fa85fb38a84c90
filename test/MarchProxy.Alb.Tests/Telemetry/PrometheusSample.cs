namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>One sample line of the Prometheus text format.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(params (string Key, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Key, out var value) && value == l.Value);
}
