using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Telemetry;

/// <summary>Request counters of one Envoy scope: the total and the responses by status class.</summary>
public sealed record RequestCounts(long Total, long Class1xx, long Class2xx, long Class3xx, long Class4xx, long Class5xx)
{
    public static RequestCounts Zero { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>The status classes, in order, as labels and accessors.</summary>
    public static IReadOnlyList<(string Label, Func<RequestCounts, long> Value)> Classes { get; } =
    [
        ("1xx", c => c.Class1xx),
        ("2xx", c => c.Class2xx),
        ("3xx", c => c.Class3xx),
        ("4xx", c => c.Class4xx),
        ("5xx", c => c.Class5xx),
    ];

    /// <summary>Reads <c>{prefix}{stem}_total</c> and <c>{prefix}{stem}_1xx</c> … <c>_5xx</c>.</summary>
    public static RequestCounts From(EnvoyStats stats, string prefix, string stem) => new(
        stats.Get($"{prefix}{stem}_total") ?? 0,
        stats.Get($"{prefix}{stem}_1xx") ?? 0,
        stats.Get($"{prefix}{stem}_2xx") ?? 0,
        stats.Get($"{prefix}{stem}_3xx") ?? 0,
        stats.Get($"{prefix}{stem}_4xx") ?? 0,
        stats.Get($"{prefix}{stem}_5xx") ?? 0);

    public RequestCounts Add(RequestCounts other) => new(
        Total + other.Total,
        Class1xx + other.Class1xx,
        Class2xx + other.Class2xx,
        Class3xx + other.Class3xx,
        Class4xx + other.Class4xx,
        Class5xx + other.Class5xx);
}
