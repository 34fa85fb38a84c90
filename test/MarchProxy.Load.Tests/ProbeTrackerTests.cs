using MarchProxy.Load.Ads;

namespace MarchProxy.Load.Tests;

[TestFixture]
public sealed class ProbeTrackerTests
{
    [Test]
    public async Task Observe_EveryClientHoldsExpectedKey_CompletesWithFirstAndLast()
    {
        var tracker = new ProbeTracker();
        var expectation = tracker.Expect("1/2", clients: 2);

        tracker.Observe(0, "1/2", timestamp: 300);
        expectation.AllHeld.IsCompleted.Should().BeFalse();
        tracker.Observe(1, "1/2", timestamp: 100);
        await expectation.AllHeld.DefaultTimeout();

        expectation.Snapshot().Should().Be((2, 100L, 300L));
    }

    [Test]
    public void Observe_OtherKeyOrSameClientTwice_DoesNotCount()
    {
        var tracker = new ProbeTracker();
        var expectation = tracker.Expect("1/2", clients: 2);

        tracker.Observe(0, "0/1000", timestamp: 1);
        tracker.Observe(0, "1/2", timestamp: 5);
        tracker.Observe(0, "1/2", timestamp: 9);

        expectation.AllHeld.IsCompleted.Should().BeFalse();
        expectation.Snapshot().Should().Be((1, 5L, 5L));
    }

    [Test]
    public void Observe_AfterANewExpectation_CountsOnlyForTheNewOne()
    {
        var tracker = new ProbeTracker();
        var old = tracker.Expect("1/2", clients: 1);
        var current = tracker.Expect("2/2", clients: 1);

        tracker.Observe(0, "1/2", timestamp: 1);

        old.Snapshot().Count.Should().Be(0);
        current.Snapshot().Count.Should().Be(0);
    }

    [Test]
    public async Task WaitUntilAsync_CountReachesTarget_ReturnsTrue()
    {
        var counter = new SyncCounter();
        var wait = counter.WaitUntilAsync(n => n >= 2, TimeSpan.FromSeconds(10), CancellationToken.None);

        counter.Add(1);
        counter.Add(1);

        (await wait.DefaultTimeout()).Should().BeTrue();
    }

    [Test]
    public async Task WaitUntilAsync_TimeoutFirst_ReturnsFalse()
    {
        var counter = new SyncCounter();

        (await counter.WaitUntilAsync(n => n >= 1, TimeSpan.FromMilliseconds(50), CancellationToken.None).DefaultTimeout()).Should().BeFalse();
    }
}
