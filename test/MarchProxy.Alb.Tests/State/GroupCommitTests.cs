using MarchProxy.Alb.State;
using Microsoft.Extensions.Logging.Abstractions;
using static MarchProxy.Alb.Tests.State.StateBuilders;

namespace MarchProxy.Alb.Tests.State;

public sealed class GroupCommitTests
{
    private FakeStatePublisher _publisher = null!;
    private HeldPersistence _persistence = null!;
    private ConfigStore _store = null!;
    private int _evaluated;

    [SetUp]
    public async Task SetUp()
    {
        _evaluated = 0;
        _publisher = new FakeStatePublisher();
        _persistence = new HeldPersistence();
        _store = new ConfigStore(_persistence, _publisher, new ModelStateValidator(), FixedStandalone.Of(Desired(Cluster("c"))), NullLogger<ConfigStore>.Instance);
        await _store.InitializeAsync(CancellationToken.None);
    }

    [TearDown]
    public void TearDown()
    {
        _persistence.Release();
        _store.Dispose();
        _persistence.Dispose();
    }

    [Test]
    public async Task Apply_MutationsQueuedBehindAWrite_OneWriteCoversTheBatchAndEachGetsItsOwnVersion()
    {
        _persistence.Hold();
        var first = AddCluster("a");
        await _persistence.Entered.DefaultTimeout();
        var queued = Enumerable.Range(0, 10).Select(i => AddCluster($"q{i}")).ToList();
        await Poll.UntilAsync(() => Evaluated == 11, "every mutation checked");
        queued.Should().OnlyContain(t => !t.IsCompleted, "nothing is answered before it is durable");

        _persistence.Release();
        var results = await Task.WhenAll(queued.Prepend(first)).DefaultTimeout();

        results.Should().OnlyContain(r => r.Status == ApplyStatus.Applied);
        results.Select(r => r.Version).Order().Should().Equal(Enumerable.Range(2, 11).Select(v => (long)v));
        _persistence.Saves.Should().Be(3, "the seed, the first mutation, then one write for the ten queued behind it");
        _persistence.Saved!.Version.Should().Be(12);
        _persistence.Saved.State.Clusters.Should().HaveCount(12);
        _store.Current.Version.Should().Be(12);
        _publisher.Published.Select(s => s.Version).Should().Equal(1, 2, 12);
    }

    [Test]
    public async Task Apply_BatchWriteFails_EveryMemberRefusedAndNothingChanges()
    {
        _persistence.Hold(fail: true);
        var first = AddCluster("a");
        await _persistence.Entered.DefaultTimeout();
        var queued = Enumerable.Range(0, 5).Select(i => AddCluster($"q{i}")).ToList();
        await Poll.UntilAsync(() => Evaluated == 6, "every mutation checked");

        _persistence.Release();
        var results = await Task.WhenAll(queued.Prepend(first)).DefaultTimeout();

        results.Should().OnlyContain(r => r.Status == ApplyStatus.Unavailable && r.Version == 1 && r.Message.Contains("disk full"));
        _store.Current.Version.Should().Be(1);
        _store.Current.State.Clusters.Keys.Should().Equal("c");
        _persistence.Saved!.Version.Should().Be(1);
        _publisher.Published.Select(s => s.Version).Should().Equal(1);

        var after = await AddCluster("z").DefaultTimeout();
        after.Status.Should().Be(ApplyStatus.Applied);
        after.Version.Should().Be(2, "the next mutation builds on the durable state, not on the refused ones");
        _store.Current.State.Clusters.Keys.Should().BeEquivalentTo("c", "z");
    }

    [Test]
    public async Task Apply_SameChangeAsAQueuedOne_UnchangedAnsweredOnlyOnceThatVersionIsDurable()
    {
        _persistence.Hold();
        var first = AddCluster("a");
        await _persistence.Entered.DefaultTimeout();
        var again = AddCluster("a");
        await Poll.UntilAsync(() => Evaluated == 2 && _store.Current.Version == 1, "both checked, neither durable");
        var validated = _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithCluster(Cluster("b")), "ok"), true, CancellationToken.None);

        again.IsCompleted.Should().BeFalse();
        validated.IsCompleted.Should().BeFalse();
        _persistence.Release();

        (await first.DefaultTimeout()).Version.Should().Be(2);
        var unchanged = await again.DefaultTimeout();
        unchanged.Status.Should().Be(ApplyStatus.Unchanged);
        unchanged.Version.Should().Be(2);
        var check = await validated.DefaultTimeout();
        check.Status.Should().Be(ApplyStatus.Validated);
        check.Version.Should().Be(2, "validate_only checks against the newest accepted state");
    }

    [Test]
    public async Task Apply_CallerCancelsWhileQueued_TheMutationStillApplies()
    {
        _persistence.Hold();
        var first = AddCluster("a");
        await _persistence.Entered.DefaultTimeout();
        using var cancel = new CancellationTokenSource();
        var queued = _store.ApplyAsync("test", s => Counted(MutationOutcome.Changed(s.WithCluster(Cluster("b")), "ok")), false, cancel.Token);
        await Poll.UntilAsync(() => Evaluated == 2, "the second mutation checked");

        await cancel.CancelAsync();
        _persistence.Release();

        (await queued.DefaultTimeout()).Version.Should().Be(3);
        await first.DefaultTimeout();
        _store.Current.State.Clusters.Keys.Should().BeEquivalentTo("c", "a", "b");
        _persistence.Saved!.Version.Should().Be(3);
    }

    [Test]
    public async Task Apply_128Concurrent_VersionsUniqueInCommitOrderAndFewerWritesThanMutations()
    {
        _persistence.Hold();
        var first = AddCluster("first");
        await _persistence.Entered.DefaultTimeout();
        var tasks = Enumerable.Range(0, 128).Select(i => Task.Run(() => AddCluster($"c{i}"))).ToList();
        await Poll.UntilAsync(() => Evaluated == 129, "every mutation checked");
        _persistence.Release();

        var results = await Task.WhenAll(tasks.Prepend(first)).DefaultTimeout();

        results.Select(r => r.Version).Order().Should().Equal(Enumerable.Range(2, 129).Select(v => (long)v));
        _store.Current.State.Clusters.Should().HaveCount(130);
        _persistence.Saves.Should().Be(3);
        foreach (var result in results)
        {
            result.State.Version.Should().Be(result.Version, "each answer carries the state of its own version");
            result.State.Clusters.Should().HaveCount((int)result.Version);
        }
    }

    private int Evaluated => Volatile.Read(ref _evaluated);

    private Task<ApplyResult> AddCluster(string name) =>
        _store.ApplyAsync("test", s => Counted(MutationOutcome.Changed(s.WithCluster(Cluster(name)), "ok")), false, CancellationToken.None);

    private MutationOutcome Counted(MutationOutcome outcome)
    {
        Interlocked.Increment(ref _evaluated);
        return outcome;
    }
}
