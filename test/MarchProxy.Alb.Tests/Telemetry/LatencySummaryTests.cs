using MarchProxy.Alb.Telemetry;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Tests.Telemetry;

public sealed class LatencySummaryTests
{
    [Test]
    public void From_MissingP99_IsNull()
    {
        double[] quantiles = [0, 50, 90, 95, 100];
        var histogram = new EnvoyHistogram("h", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]);

        LatencySummary.From(quantiles, histogram, cumulative: true).Should().BeNull();
    }

    [Test]
    public void From_NoZeroOrHundredQuantile_UsesP50AsMean()
    {
        double[] quantiles = [50, 90, 95, 99];
        var histogram = new EnvoyHistogram("h", [2, 3, 4, 5], [2, 3, 4, 5]);

        LatencySummary.From(quantiles, histogram, cumulative: false).Should().Be(new LatencySummary(2, 3, 4, 5, 2));
    }

    [Test]
    public void Weighted_TwoParts_WeighsByRequests()
    {
        var fast = new LatencySummary(1, 1, 1, 1, 1);
        var slow = new LatencySummary(10, 10, 10, 10, 10);

        var combined = LatencySummary.Weighted([(fast, 3), (slow, 1), (slow, 0)]);

        combined.Should().Be(new LatencySummary(3.25, 3.25, 3.25, 3.25, 3.25));
    }

    [Test]
    public void Weighted_Nothing_IsZero() => LatencySummary.Weighted([]).Should().Be(LatencySummary.Zero);
}
