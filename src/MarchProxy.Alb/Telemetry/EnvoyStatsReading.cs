namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// What the bridge serves: the latest good sample, the good sample before it (for rates), and
/// whether the latest read worked.
/// </summary>
public sealed record EnvoyStatsReading(EnvoyStatsSample Current, EnvoyStatsSample? Previous, EnvoyStatsStatus Status)
{
    public static EnvoyStatsReading NotRead { get; } = new(EnvoyStatsSample.Empty, null, EnvoyStatsStatus.NotRead);

    public static EnvoyStatsReading Absent { get; } = new(EnvoyStatsSample.Empty, null, EnvoyStatsStatus.Absent);

    /// <summary>True when <see cref="Current"/> came from a successful read (possibly an old one).</summary>
    public bool HasSample => !ReferenceEquals(Current, EnvoyStatsSample.Empty);

    /// <summary>
    /// Downstream requests per second between <see cref="Previous"/> and <see cref="Current"/>; 0
    /// with fewer than two samples. A counter that went down (Envoy restarted without hot restart)
    /// counts from zero, as Prometheus' rate() does.
    /// </summary>
    public double RequestsPerSecond()
    {
        if (Previous is null)
        {
            return 0;
        }

        var seconds = (Current.Timestamp - Previous.Timestamp).TotalSeconds;
        if (seconds <= 0)
        {
            return 0;
        }

        var now = Current.DownstreamRequests.Total;
        var before = Previous.DownstreamRequests.Total;
        var delta = now >= before ? now - before : now;
        return delta / seconds;
    }
}
