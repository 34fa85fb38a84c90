using MarchProxy.Load.Machine;

namespace MarchProxy.Load.Tests;

[TestFixture]
public sealed class FileLimitsTests
{
    [Test]
    public void Check_LimitBelowStreamsPlusMargin_SaysWhatToRaise()
    {
        var problem = FileLimits.Check(5000, 1024);

        problem.Should().Contain("ulimit -n").And.Contain("1024").And.Contain((5000 + FileLimits.Margin).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestCase(5000, 20000)]
    [TestCase(5000, -1)]
    public void Check_LimitHighEnoughOrUnlimited_IsNull(int streams, long soft)
    {
        FileLimits.Check(streams, soft).Should().BeNull();
    }

    [Test]
    public void Read_OnLinux_ReturnsThisProcessLimits()
    {
        Assume.That(File.Exists("/proc/self/limits"), "needs /proc");

        var (soft, hard) = FileLimits.Read();

        soft.Should().NotBe(0);
        if (hard > 0 && soft > 0)
        {
            soft.Should().BeLessThanOrEqualTo(hard);
        }
    }
}
