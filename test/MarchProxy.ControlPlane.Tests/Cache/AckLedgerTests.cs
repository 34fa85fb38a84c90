using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MarchProxy.ControlPlane.Tests.Cache;

public sealed partial class AckLedgerTests
{
    private static readonly string[] AllTypes = [ResourceTypes.Cluster, ResourceTypes.Endpoint, ResourceTypes.Listener, ResourceTypes.Route];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>An empty snapshot at <paramref name="version"/>: content with nothing to refer to.</summary>
    private static Snapshot At(long version) => Snapshot.Create(version, new TranslatedResources([], [], [], []).ByType());

    private static NodeTracker SubscribedNode(AckLedger ledger, string id, NodeKind kind = NodeKind.Envoy)
    {
        var node = ledger.Connect(id, kind);
        foreach (var type in AllTypes)
        {
            node.Subscribed(type, wildcard: true, []);
        }

        return node;
    }

    private static void AckAll(NodeTracker node, long version)
    {
        foreach (var type in AllTypes)
        {
            node.Acked(type, At(version));
        }
    }

    [Test]
    public async Task WaitForAckAsync_NoNodeOfThatKind_ReturnsAtOnceWithNoneAcked()
    {
        var ledger = new AckLedger(_time);
        using var grpc = SubscribedNode(ledger, "grpc-1", NodeKind.Grpc);

        var result = await ledger.WaitForAckAsync(NodeKind.Envoy, 1, TimeSpan.FromSeconds(5), CancellationToken.None).DefaultTimeout();

        result.Should().BeEquivalentTo(new AckWaitResult(0, [], [], TimedOut: false));
    }

    [Test]
    public async Task WaitForAckAsync_EveryNodeAcksEverySubscribedType_Completes()
    {
        var ledger = new AckLedger(_time);
        using var first = SubscribedNode(ledger, "envoy-1");
        using var second = SubscribedNode(ledger, "envoy-2");
        var wait = ledger.WaitForAckAsync(NodeKind.Envoy, 3, TimeSpan.FromSeconds(5), CancellationToken.None);

        AckAll(first, 3);
        wait.IsCompleted.Should().BeFalse("envoy-2 has not ACKed yet");
        foreach (var type in AllTypes.Take(3))
        {
            second.Acked(type, At(4));
        }

        wait.IsCompleted.Should().BeFalse("envoy-2 has not ACKed RDS yet");
        second.InSync(ResourceTypes.Route, At(4));

        var result = await wait.DefaultTimeout();
        result.AckedNodes.Should().Be(2);
        result.Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task WaitForAckAsync_AlreadyAckedNewer_ReturnsAtOnce()
    {
        var ledger = new AckLedger(_time);
        using var node = SubscribedNode(ledger, "envoy-1");
        AckAll(node, 9);

        var result = await ledger.WaitForAckAsync(NodeKind.Envoy, 8, TimeSpan.FromSeconds(5), CancellationToken.None).DefaultTimeout();

        result.AckedNodes.Should().Be(1);
        result.PendingNodes.Should().BeEmpty();
    }

    [Test]
    public async Task WaitForAckAsync_NodeRejectsTheVersion_EndsWithItsError()
    {
        var ledger = new AckLedger(_time);
        using var good = SubscribedNode(ledger, "envoy-1");
        using var bad = SubscribedNode(ledger, "envoy-2");
        var wait = ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(5), CancellationToken.None);

        bad.Nacked(ResourceTypes.Cluster, 2, "cluster a: bad connect_timeout");

        var result = await wait.DefaultTimeout();
        result.Nacks.Should().Equal("envoy-2: cluster a: bad connect_timeout");
        result.PendingNodes.Should().Equal("envoy-1");
        result.TimedOut.Should().BeFalse();
        result.Succeeded.Should().BeFalse();
    }

    [Test]
    public async Task WaitForAckAsync_RejectionOfAnOlderVersion_DoesNotEndTheWait()
    {
        var ledger = new AckLedger(_time);
        using var node = SubscribedNode(ledger, "envoy-1");
        node.Nacked(ResourceTypes.Cluster, 1, "old problem");
        var wait = ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(5), CancellationToken.None);

        wait.IsCompleted.Should().BeFalse();
        AckAll(node, 2);

        (await wait.DefaultTimeout()).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task WaitForAckAsync_NoAckInTime_TimesOutListingThePendingNodes()
    {
        var logger = new FakeLogger<AckLedger>();
        var ledger = new AckLedger(_time, logger);
        using var slow = SubscribedNode(ledger, "envoy-slow");
        using var fast = SubscribedNode(ledger, "envoy-fast");
        AckAll(fast, 5);
        var wait = ledger.WaitForAckAsync(NodeKind.Envoy, 5, TimeSpan.FromSeconds(3), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(2));
        wait.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));

        var result = await wait.DefaultTimeout();
        result.TimedOut.Should().BeTrue();
        result.AckedNodes.Should().Be(1);
        result.PendingNodes.Should().Equal("envoy-slow");
        logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1002);
    }

    [Test]
    public async Task WaitForAckAsync_PendingNodeDisconnects_StopsCounting()
    {
        var ledger = new AckLedger(_time);
        var leaving = SubscribedNode(ledger, "envoy-old");
        using var staying = SubscribedNode(ledger, "envoy-new");
        AckAll(staying, 2);
        var wait = ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(5), CancellationToken.None);

        leaving.Dispose();

        var result = await wait.DefaultTimeout();
        result.AckedNodes.Should().Be(1);
        result.Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task WaitForAckAsync_Cancelled_Throws()
    {
        var ledger = new AckLedger(_time);
        using var node = SubscribedNode(ledger, "envoy-1");
        using var cts = new CancellationTokenSource();
        var wait = ledger.WaitForAckAsync(NodeKind.Envoy, 1, TimeSpan.FromSeconds(5), cts.Token);

        await cts.CancelAsync();

        await wait.Invoking(w => w.DefaultTimeout()).Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    public async Task WaitForAckAsync_NodeNotSubscribedYet_IsPending()
    {
        var ledger = new AckLedger(_time);
        using var node = ledger.Connect("envoy-1", NodeKind.Envoy);

        var result = await ledger.WaitForAckAsync(NodeKind.Envoy, 1, TimeSpan.Zero, CancellationToken.None).DefaultTimeout();

        result.TimedOut.Should().BeTrue();
        result.PendingNodes.Should().Equal("envoy-1");
    }

    [Test]
    public void HasAckedClustersAndListeners_RequiresAnAckOfBothByAConnectedNode()
    {
        var ledger = new AckLedger(_time);
        var node = SubscribedNode(ledger, "envoy-1");

        node.Acked(ResourceTypes.Cluster, At(1));
        node.InSync(ResourceTypes.Listener, At(1));
        ledger.HasAckedClustersAndListeners(NodeKind.Envoy).Should().BeFalse("being in sync is not an ACK");

        node.Acked(ResourceTypes.Listener, At(1));
        ledger.HasAckedClustersAndListeners(NodeKind.Envoy).Should().BeTrue();
        ledger.HasAckedClustersAndListeners(NodeKind.Grpc).Should().BeFalse();

        node.Dispose();
        ledger.HasAckedClustersAndListeners(NodeKind.Envoy).Should().BeFalse();
    }

    [Test]
    public void GetNodes_ReportsAckedVersionsLastNackAndDisconnection()
    {
        var ledger = new AckLedger(_time);
        var node = SubscribedNode(ledger, "envoy-1");
        node.Acked(ResourceTypes.Cluster, At(3));
        node.Acked(ResourceTypes.Listener, At(2));
        node.Nacked(ResourceTypes.Route, 3, "route r: bad regex");

        var state = ledger.GetNodes().Should().ContainSingle().Subject;
        state.NodeId.Should().Be("envoy-1");
        state.Kind.Should().Be(NodeKind.Envoy);
        state.Connected.Should().BeTrue();
        state.AckedVersions.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            [ResourceTypes.Cluster] = "3",
            [ResourceTypes.Listener] = "2",
        });
        state.LastNack.Should().Be(new NackInfo(ResourceTypes.Route, "3", "route r: bad regex", _time.GetUtcNow()));

        node.Dispose();
        ledger.GetNodes().Should().ContainSingle().Which.Connected.Should().BeFalse();
    }

    [Test]
    public void GetNodes_ManyDisconnections_KeepsOnlyTheMostRecent()
    {
        var ledger = new AckLedger(_time);
        for (var i = 0; i < AckLedger.MaxDisconnectedNodes + 10; i++)
        {
            ledger.Connect($"envoy-{i}", NodeKind.Envoy).Dispose();
        }

        using var live = ledger.Connect("live", NodeKind.Envoy);

        var nodes = ledger.GetNodes();
        nodes.Should().HaveCount(AckLedger.MaxDisconnectedNodes + 1);
        nodes[0].NodeId.Should().Be("live");
        nodes[1].NodeId.Should().Be($"envoy-{AckLedger.MaxDisconnectedNodes + 9}");
    }

    [Test]
    public async Task Acked_NewerVersionAfterNack_ClearsTheRejection()
    {
        var ledger = new AckLedger(_time);
        using var node = SubscribedNode(ledger, "envoy-1");
        node.Nacked(ResourceTypes.Cluster, 2, "bad");

        AckAll(node, 3);

        (await ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(1), CancellationToken.None).DefaultTimeout())
            .Succeeded.Should().BeTrue();
    }
}
