using MarchProxy.Alb.Telemetry;

namespace MarchProxy.Alb.Tests.Telemetry;

public sealed class BoundedLabelSetTests
{
    [Test]
    public void Map_BeyondTheLimit_ReturnsOther()
    {
        var labels = new BoundedLabelSet(2);

        labels.Map("a").Should().Be("a");
        labels.Map("b").Should().Be("b");
        labels.Map("c").Should().Be(BoundedLabelSet.Overflow);
        labels.Map("a").Should().Be("a");
    }

    [Test]
    public void Map_AdmittedValue_StaysAdmittedWhileOthersOverflow()
    {
        var labels = new BoundedLabelSet(1);
        labels.Map("z").Should().Be("z");

        // "a" sorts first but came later: it does not push "z" out, so no series jumps.
        labels.Map("a").Should().Be(BoundedLabelSet.Overflow);
        labels.Map("z").Should().Be("z");
    }

    [Test]
    public void Sum_OverflowingValues_AreSummedUnderOther()
    {
        var labels = new BoundedLabelSet(2);
        var values = new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 4, ["d"] = 8 };

        var sums = labels.Sum(values, (x, y) => x + y);

        sums.Should().Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, [BoundedLabelSet.Overflow] = 12 });
    }
}
