using MarchProxy.ControlPlane.Server;

namespace MarchProxy.ControlPlane.Tests.Server;

public sealed class StreamSwingDetectorTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    [Test]
    public void Observe_SwingThenStillForTheQuietPeriod_ReturnsTrueOnceAtTheEnd()
    {
        var detector = new StreamSwingDetector(threshold: 100, Quiet);

        var answers = new[]
        {
            detector.Observe(0, 1, At(0)),
            detector.Observe(500, 1, At(1)),
            detector.Observe(1000, 1, At(2)),
            detector.Observe(1000, 1, At(3)),
            detector.Observe(1000, 1, At(4)),
            detector.Observe(1000, 1, At(5)),
            detector.Observe(1000, 1, At(6)),
        };

        answers.Should().Equal(false, false, false, false, true, false, false);
    }

    [Test]
    public void Observe_SwingBelowTheThreshold_NeverReturnsTrue()
    {
        var detector = new StreamSwingDetector(threshold: 100, Quiet);
        detector.Observe(0, 1, At(0));
        detector.Observe(99, 1, At(1));

        var answers = Enumerable.Range(2, 10).Select(s => detector.Observe(99, 1, At(s))).ToList();

        answers.Should().AllBeEquivalentTo(false);
    }

    [Test]
    public void Observe_PublishDuringTheQuietPeriod_StartsTheWaitAgain()
    {
        var detector = new StreamSwingDetector(threshold: 100, Quiet);
        detector.Observe(1000, 1, At(0));
        detector.Observe(1000, 1, At(1));

        var afterPublish = detector.Observe(1000, 2, At(2.5));
        var tooSoon = detector.Observe(1000, 2, At(4));
        var quietAgain = detector.Observe(1000, 2, At(4.5));

        (afterPublish, tooSoon, quietAgain).Should().Be((false, false, true));
    }

    [Test]
    public void Observe_StreamsLeaveAfterATrim_ReturnsTrueAgainOnceStill()
    {
        var detector = new StreamSwingDetector(threshold: 100, Quiet);
        detector.Observe(1000, 1, At(0));
        detector.Observe(1000, 1, At(2)).Should().BeTrue();

        detector.Observe(950, 1, At(3));
        var smallDrop = detector.Observe(950, 1, At(6));
        detector.Observe(0, 1, At(7));
        var bigDrop = detector.Observe(0, 1, At(9));

        (smallDrop, bigDrop).Should().Be((false, true));
    }

    [Test]
    public void Observe_ThresholdZero_NeverReturnsTrue()
    {
        var detector = new StreamSwingDetector(threshold: 0, Quiet);
        detector.Observe(1000, 1, At(0));

        var answers = Enumerable.Range(1, 10).Select(s => detector.Observe(1000, 1, At(s * 2))).ToList();

        answers.Should().AllBeEquivalentTo(false);
    }
}
