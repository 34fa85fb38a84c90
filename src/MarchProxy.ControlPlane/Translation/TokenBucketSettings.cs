namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// An Envoy token bucket: it holds at most <see cref="MaxTokens"/> and gains
/// <see cref="TokensPerFill"/> every <see cref="FillIntervalNanos"/> nanoseconds.
/// The sustained rate is <c>TokensPerFill / FillInterval</c>; the burst is <see cref="MaxTokens"/>.
/// </summary>
public readonly record struct TokenBucketSettings(uint MaxTokens, uint TokensPerFill, long FillIntervalNanos)
{
    /// <summary>The fill interval as a protobuf Duration would hold it.</summary>
    public (long Seconds, int Nanos) FillInterval =>
        (FillIntervalNanos / TokenBucketMath.NanosPerSecond, (int)(FillIntervalNanos % TokenBucketMath.NanosPerSecond));
}
