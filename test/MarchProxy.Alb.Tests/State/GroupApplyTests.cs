using MarchProxy.Alb.State;
using Microsoft.Extensions.Logging.Abstractions;
using static MarchProxy.Alb.Tests.State.StateBuilders;

namespace MarchProxy.Alb.Tests.State;

/// <summary>
/// Mutations that queue while the store checks another one are checked as one group. Each test holds
/// the store's applier inside a first mutation, queues a group behind it, then lets it go.
/// </summary>
public sealed class GroupApplyTests
{
    private ManualResetEventSlim _released = null!;
    private TaskCompletionSource _entered = null!;
    private FakeStatePublisher _publisher = null!;
    private HeldPersistence _persistence = null!;
    private ConfigStore _store = null!;

    [SetUp]
    public async Task SetUp()
    {
        _released = new ManualResetEventSlim(false);
        _entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _publisher = new FakeStatePublisher();
        _persistence = new HeldPersistence();
        _store = new ConfigStore(_persistence, _publisher, new ModelStateValidator(), FixedStandalone.Of(Desired(Cluster("c"))), NullLogger<ConfigStore>.Instance);
        await _store.InitializeAsync(CancellationToken.None);
    }

    [TearDown]
    public void TearDown()
    {
        _released.Set();
        _store.Dispose();
        _persistence.Dispose();
        _released.Dispose();
    }

    [Test]
    public async Task Apply_RefusalsInsideAGroup_NeighboursApplyAndEachRefusalIsWhatItWouldBeAlone()
    {
        var first = await HoldApplierAsync();
        var a = Mutate(s => s.WithCluster(Cluster("a")));
        var unknownCluster = Mutate(s => s.WithRoute(Route("r", "missing")));
        var b = Mutate(s => s.WithCluster(Cluster("b")));
        var notFound = _store.ApplyAsync("test", _ => MutationOutcome.NotFound("cluster 'nope' not found"), false, CancellationToken.None);
        var routeToA = Mutate(s => s.WithRoute(Route("to-a", "a")));
        _released.Set();

        (await first.DefaultTimeout()).Version.Should().Be(2);
        var results = await Task.WhenAll(a, unknownCluster, b, notFound, routeToA).DefaultTimeout();

        results.Select(r => r.Status).Should().Equal(ApplyStatus.Applied, ApplyStatus.Invalid, ApplyStatus.Applied, ApplyStatus.NotFound, ApplyStatus.Applied);
        results.Select(r => r.Version).Should().Equal([3, 3, 4, 4, 5], "a refusal answers the version it was checked against");
        _publisher.DryRuns.Should().Be(2, "the held mutation had its own dry run, the group of five one");
        _store.Current.State.Clusters.Keys.Should().BeEquivalentTo("c", "first", "a", "b");
        _store.Current.State.Routes.Keys.Should().Equal("to-a");
        _persistence.Saved!.Version.Should().Be(5);

        var alone = await Mutate(s => s.WithRoute(Route("r", "missing"))).DefaultTimeout();
        alone.Status.Should().Be(ApplyStatus.Invalid);
        results[1].Message.Should().Be(alone.Message);
        results[1].Violations.Should().BeEquivalentTo(alone.Violations);
    }

    [Test]
    public async Task Apply_GroupResultFailsTheDryRun_CheckedOneAtATimeAndOnlyTheUnservableOneRefused()
    {
        _publisher.FailDryRunWhen = s => s.Clusters.ContainsKey("unservable") ? ["CDS: cluster 'unservable' would be rejected"] : null;
        var first = await HoldApplierAsync();
        var a = Mutate(s => s.WithCluster(Cluster("a")));
        var unservable = Mutate(s => s.WithCluster(Cluster("unservable")));
        var b = Mutate(s => s.WithCluster(Cluster("b")));
        _released.Set();

        await first.DefaultTimeout();
        var results = await Task.WhenAll(a, unservable, b).DefaultTimeout();

        results.Select(r => r.Status).Should().Equal(ApplyStatus.Applied, ApplyStatus.Invalid, ApplyStatus.Applied);
        results.Select(r => r.Version).Should().Equal(3, 3, 4);
        results[1].Message.Should().Contain("cannot be served").And.Contain("'unservable' would be rejected");
        _publisher.DryRuns.Should().Be(5, "the held one, the group's (failed), then one per member");
        _store.Current.State.Clusters.Keys.Should().BeEquivalentTo("c", "first", "a", "b");
        _persistence.Saved!.Version.Should().Be(4);
    }

    [Test]
    public async Task Apply_CallerCancelsBeforeItsGroupIsChecked_CallCancelledAndNothingOfItApplied()
    {
        var first = await HoldApplierAsync();
        using var cancel = new CancellationTokenSource();
        var cancelled = _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithCluster(Cluster("x")), "ok"), false, cancel.Token);
        var kept = Mutate(s => s.WithCluster(Cluster("kept")));
        await cancel.CancelAsync();
        _released.Set();

        await first.DefaultTimeout();
        var act = () => cancelled.DefaultTimeout();
        await act.Should().ThrowAsync<OperationCanceledException>();
        (await kept.DefaultTimeout()).Version.Should().Be(3);
        _store.Current.State.Clusters.Keys.Should().BeEquivalentTo("c", "first", "kept");
    }

    [Test]
    public async Task Apply_MutationThrowsInsideAGroup_ItsCallerGetsTheExceptionAndTheOthersApply()
    {
        var first = await HoldApplierAsync();
        var a = Mutate(s => s.WithCluster(Cluster("a")));
        var throws = _store.ApplyAsync("test", _ => throw new InvalidOperationException("mutation bug"), false, CancellationToken.None);
        var b = Mutate(s => s.WithCluster(Cluster("b")));
        _released.Set();

        await first.DefaultTimeout();
        var act = () => throws.DefaultTimeout();
        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("mutation bug");
        (await a.DefaultTimeout()).Version.Should().Be(3);
        (await b.DefaultTimeout()).Version.Should().Be(4);
    }

    /// <summary>Starts a mutation whose check waits for <see cref="_released"/>; returns once it waits.</summary>
    private async Task<Task<ApplyResult>> HoldApplierAsync()
    {
        var first = _store.ApplyAsync(
            "test",
            s =>
            {
                _entered.TrySetResult();
                _released.Wait(TaskTimeoutExtensions.DefaultTimeoutSpan);
                return MutationOutcome.Changed(s.WithCluster(Cluster("first")), "ok");
            },
            false,
            CancellationToken.None);
        await _entered.Task.DefaultTimeout();
        return first;
    }

    private Task<ApplyResult> Mutate(Func<ControlPlane.Model.DesiredState, ControlPlane.Model.DesiredState> change) =>
        _store.ApplyAsync("test", s => MutationOutcome.Changed(change(s), "ok"), false, CancellationToken.None);
}
