namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// Turns "R requests per second with a burst of B" into Envoy token-bucket settings.
/// </summary>
/// <remarks>
/// <para>Envoy's rate is <c>tokens_per_fill / fill_interval</c>, the burst is <c>max_tokens</c>,
/// <c>fill_interval</c> must be at least 50 ms, and a fill larger than <c>max_tokens</c> is cut
/// off (so <c>max_tokens</c> must be at least <c>tokens_per_fill</c> or the rate drops). The
/// result always satisfies, exactly and in whole nanoseconds:</para>
/// <list type="bullet">
/// <item><c>tokens_per_fill × 10⁹ = R × fill_interval_ns</c> (the asked-for rate, no rounding);</item>
/// <item><c>fill_interval ≥ 50 ms</c>;</item>
/// <item><c>max_tokens ≥ B</c> and <c>max_tokens ≥ tokens_per_fill</c>.</item>
/// </list>
/// <para>How it chooses:</para>
/// <list type="number">
/// <item>If <c>B ≤ R</c> and <c>B/R</c> seconds is a whole number of nanoseconds of at least
/// 50 ms, it fills the whole burst at once: <c>max_tokens = tokens_per_fill = B</c>,
/// <c>fill_interval = B/R</c>. 1000 rps with burst 100 gives 100, 100, 100 ms.</item>
/// <item>Otherwise it takes the shortest interval of at least 50 ms in which R requests come to a
/// whole number of tokens (a multiple of <c>10⁹ / gcd(R, 10⁹)</c> ns, so never above 1 s),
/// <c>tokens_per_fill = R × interval</c>, and <c>max_tokens = max(B, tokens_per_fill)</c>.</item>
/// </list>
/// <para>Rule 1 is limited to <c>B ≤ R</c> (an interval of at most 1 s): with a burst larger than
/// the rate it would refill in rare big chunks (burst 100 at 10 rps would refill 100 tokens every
/// 10 s), while rule 2 refills smoothly (1 token every 100 ms) with the same rate and burst.</para>
/// <para>Rule 2 can raise the burst above B, and no exact bucket can avoid it: with the 50 ms
/// floor each fill carries at least R/20 tokens (1,000,000 rps needs a burst of 50,000), and a rate
/// such as 7 rps only divides into whole tokens over whole seconds (burst at least 7).</para>
/// </remarks>
public static class TokenBucketMath
{
    public const long NanosPerSecond = 1_000_000_000;

    /// <summary>Envoy's lower bound for <c>fill_interval</c>.</summary>
    public const long MinFillIntervalNanos = 50_000_000;

    /// <summary>Computes the bucket for <paramref name="requestsPerSecond"/> and <paramref name="burst"/>, both at least 1.</summary>
    public static TokenBucketSettings Compute(int requestsPerSecond, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);

        long rate = requestsPerSecond;
        long size = burst;

        if (size <= rate && size * NanosPerSecond % rate == 0)
        {
            var interval = size * NanosPerSecond / rate;
            if (interval >= MinFillIntervalNanos)
            {
                return new TokenBucketSettings((uint)size, (uint)size, interval);
            }
        }

        var step = NanosPerSecond / Gcd(rate, NanosPerSecond);
        var steps = (MinFillIntervalNanos + step - 1) / step;
        var fillInterval = steps * step;
        var tokensPerFill = rate * fillInterval / NanosPerSecond;
        var maxTokens = Math.Max(size, tokensPerFill);
        return new TokenBucketSettings((uint)maxTokens, (uint)tokensPerFill, fillInterval);
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
