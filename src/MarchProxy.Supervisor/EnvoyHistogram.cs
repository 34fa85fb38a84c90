namespace MarchProxy.Supervisor;

/// <summary>One histogram of <c>/stats?format=json</c>: a value per supported quantile; null when there are no samples.</summary>
/// <param name="Name">The stat name, for example "http.ingress.downstream_rq_time".</param>
/// <param name="Interval">Per quantile, over the last flush interval.</param>
/// <param name="Cumulative">Per quantile, since start.</param>
public sealed record EnvoyHistogram(string Name, IReadOnlyList<double?> Interval, IReadOnlyList<double?> Cumulative);
