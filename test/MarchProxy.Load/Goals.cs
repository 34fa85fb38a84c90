namespace MarchProxy.Load;

/// <summary>The end-to-end goals the results are read against.</summary>
public static class Goals
{
    /// <summary>Mutation → last ACK p99 by fleet size, in milliseconds.</summary>
    public static IReadOnlyDictionary<int, double> LastAckP99Ms { get; } = new Dictionary<int, double>
    {
        [100] = 20,
        [1000] = 100,
        [5000] = 500,
    };

    /// <summary>Over the unary floor plus one fsync, for one stream (p50).</summary>
    public const double OneStreamSlackMs = 0.5;

    public const double BytesPerIdleStream = 30 * 1024;

    public const double MutationsPerSecond = 10_000;

    public const double ReadRatio = 0.8;

    public const double StormSeconds = 2;
}
