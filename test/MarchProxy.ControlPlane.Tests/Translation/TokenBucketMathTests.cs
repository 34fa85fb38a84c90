using MarchProxy.ControlPlane.Translation;

namespace MarchProxy.ControlPlane.Tests.Translation;

public sealed class TokenBucketMathTests
{
    private const long Ms = 1_000_000;

    // rps, burst => max_tokens, tokens_per_fill, fill_interval (ns)
    [TestCase(1000, 100, 100u, 100u, 100 * Ms, TestName = "Compute_1000RpsBurst100_FillsTheBurstEvery100ms")]
    [TestCase(1000, 1000, 1000u, 1000u, 1000 * Ms, TestName = "Compute_RateEqualsBurst_FillsTheBurstEverySecond")]
    [TestCase(1000, 50, 50u, 50u, 50 * Ms, TestName = "Compute_BurstOf50ms_FillsAtTheFloor")]
    [TestCase(1000, 10, 50u, 50u, 50 * Ms, TestName = "Compute_BurstBelow50msOfRate_RaisesBurstToTheFloor")]
    [TestCase(1, 1, 1u, 1u, 1000 * Ms, TestName = "Compute_OneRpsBurstOne_OneTokenPerSecond")]
    [TestCase(1, 1000, 1000u, 1u, 1000 * Ms, TestName = "Compute_OneRpsBigBurst_RefillsOneTokenPerSecond")]
    [TestCase(10, 100, 100u, 1u, 100 * Ms, TestName = "Compute_BurstAboveRate_RefillsSmoothly")]
    [TestCase(3, 1, 3u, 3u, 1000 * Ms, TestName = "Compute_ThreeRps_NeedsWholeSeconds")]
    [TestCase(3, 10, 10u, 3u, 1000 * Ms, TestName = "Compute_ThreeRpsBurst10_KeepsTheBurst")]
    [TestCase(7, 1, 7u, 7u, 1000 * Ms, TestName = "Compute_SevenRps_NeedsWholeSeconds")]
    [TestCase(7, 7, 7u, 7u, 1000 * Ms, TestName = "Compute_SevenRpsBurst7_FillsTheBurstEverySecond")]
    [TestCase(20, 1, 1u, 1u, 50 * Ms, TestName = "Compute_20RpsBurst1_OneTokenAtTheFloor")]
    [TestCase(40, 1, 2u, 2u, 50 * Ms, TestName = "Compute_40RpsBurst1_RaisesBurstToTwo")]
    [TestCase(200, 20, 20u, 20u, 100 * Ms, TestName = "Compute_200RpsBurst20_FillsTheBurstEvery100ms")]
    [TestCase(1_000_000, 100, 50_000u, 50_000u, 50 * Ms, TestName = "Compute_MillionRpsSmallBurst_RaisesBurstToTheFloor")]
    [TestCase(1_000_000, 1_000_000, 1_000_000u, 1_000_000u, 1000 * Ms, TestName = "Compute_MillionRpsMillionBurst_FillsEverySecond")]
    [TestCase(1_000_000, 200_000, 200_000u, 200_000u, 200 * Ms, TestName = "Compute_MillionRps200kBurst_FillsEvery200ms")]
    [TestCase(512, 1, 26u, 26u, 50_781_250, TestName = "Compute_RateNotDividingAMillisecond_UsesWholeNanoseconds")]
    public void Compute_Pair_GivesExpectedBucket(int rps, int burst, uint maxTokens, uint tokensPerFill, long fillIntervalNanos)
    {
        var bucket = TokenBucketMath.Compute(rps, burst);

        bucket.Should().Be(new TokenBucketSettings(maxTokens, tokensPerFill, fillIntervalNanos));
        AssertInvariants(rps, burst, bucket);
    }

    [Test]
    public void Compute_ManyPairs_GivesExactRateAboveFloorAndAtLeastTheBurst()
    {
        int[] rates = [1, 2, 3, 5, 7, 9, 10, 13, 19, 20, 21, 33, 99, 100, 101, 333, 512, 999, 1000, 1024, 4096, 9999, 65_537, 1_000_000, 7_654_321, int.MaxValue];
        int[] bursts = [1, 2, 3, 7, 10, 49, 50, 51, 100, 1000, 65_536, 1_000_000, int.MaxValue];

        foreach (var rps in rates)
        {
            foreach (var burst in bursts)
            {
                AssertInvariants(rps, burst, TokenBucketMath.Compute(rps, burst));
            }
        }
    }

    [Test]
    public void Compute_BurstNoMoreThanRateAndExact_UsesBurstAsFill()
    {
        var bucket = TokenBucketMath.Compute(5000, 500);

        bucket.TokensPerFill.Should().Be(500);
        bucket.MaxTokens.Should().Be(500);
        bucket.FillInterval.Should().Be((0L, 100_000_000));
    }

    [TestCase(0, 1)]
    [TestCase(1, 0)]
    [TestCase(-5, 10)]
    public void Compute_BelowOne_Throws(int rps, int burst)
    {
        var act = () => TokenBucketMath.Compute(rps, burst);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static void AssertInvariants(int rps, int burst, TokenBucketSettings bucket)
    {
        var because = $"rps {rps}, burst {burst} gave {bucket}";
        ((System.Numerics.BigInteger)bucket.TokensPerFill * 1_000_000_000).Should()
            .Be((System.Numerics.BigInteger)rps * bucket.FillIntervalNanos, "the rate must be exact: " + because);
        bucket.FillIntervalNanos.Should().BeGreaterThanOrEqualTo(50 * Ms, "Envoy's floor is 50 ms: " + because);
        bucket.FillIntervalNanos.Should().BeLessThanOrEqualTo(1000 * Ms, "refills stay frequent: " + because);
        bucket.MaxTokens.Should().BeGreaterThanOrEqualTo((uint)burst, "the burst must be allowed: " + because);
        bucket.MaxTokens.Should().BeGreaterThanOrEqualTo(bucket.TokensPerFill, "a fill above max_tokens would be cut off: " + because);
        bucket.TokensPerFill.Should().BeGreaterThan(0, because);
    }
}
