using MarchProxy.Alb.Telemetry;

namespace MarchProxy.Alb.Tests.Telemetry;

public sealed class EnvoyStatsReadingTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void RequestsPerSecond_TwoSamples_IsTheRateBetweenThem()
    {
        var reading = new EnvoyStatsReading(Sample(250, T0.AddSeconds(5)), Sample(100, T0), EnvoyStatsStatus.Fresh);

        reading.RequestsPerSecond().Should().Be(30);
    }

    [Test]
    public void RequestsPerSecond_OneSample_IsZero() =>
        new EnvoyStatsReading(Sample(250, T0), null, EnvoyStatsStatus.Fresh).RequestsPerSecond().Should().Be(0);

    [Test]
    public void RequestsPerSecond_CounterReset_CountsFromZero()
    {
        var reading = new EnvoyStatsReading(Sample(20, T0.AddSeconds(10)), Sample(1000, T0), EnvoyStatsStatus.Fresh);

        reading.RequestsPerSecond().Should().Be(2);
    }

    [Test]
    public void HasSample_NotReadOrAbsent_IsFalse()
    {
        EnvoyStatsReading.NotRead.HasSample.Should().BeFalse();
        EnvoyStatsReading.Absent.HasSample.Should().BeFalse();
    }

    private static EnvoyStatsSample Sample(long requests, DateTimeOffset at) =>
        EnvoyStatsSample.From(new EnvoyStatsBuilder().Value("http.ingress.downstream_rq_total", requests).Build(), at);
}
