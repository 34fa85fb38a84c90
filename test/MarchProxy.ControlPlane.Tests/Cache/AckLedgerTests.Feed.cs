using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Tests.Cache;

/// <summary>The ledger's change feed, the node-id readiness query and "still rejected" reports.</summary>
public sealed partial class AckLedgerTests
{
    [Test]
    public void GetChanges_AfterACursor_ReturnsOnlyTheStreamsThatChangedSince()
    {
        var ledger = new AckLedger(_time);
        using var quiet = SubscribedNode(ledger, "quiet");
        using var busy = SubscribedNode(ledger, "busy");
        var cursor = ledger.GetChanges(0).Cursor;

        busy.Acked(ResourceTypes.Cluster, At(2));

        var changes = ledger.GetChanges(cursor);
        changes.Changes.Should().ContainSingle().Which.State.NodeId.Should().Be("busy");
        changes.Changes[0].State.AckedVersions[ResourceTypes.Cluster].Should().Be("2");
        changes.Cursor.Should().BeGreaterThan(cursor);
        ledger.GetChanges(changes.Cursor).Changes.Should().BeEmpty();
    }

    [Test]
    public void GetChanges_TwoStreamsOfOneNode_TellsThemApartByStreamId()
    {
        var ledger = new AckLedger(_time);
        var old = SubscribedNode(ledger, "envoy-1");
        using var reconnected = SubscribedNode(ledger, "envoy-1");
        var cursor = ledger.GetChanges(0).Cursor;

        old.Dispose();

        var change = ledger.GetChanges(cursor).Changes.Should().ContainSingle().Subject;
        change.State.Connected.Should().BeFalse();
        change.StreamId.Should().NotBe(ledger.GetChanges(0).Changes.Single(c => c.State.Connected).StreamId);
    }

    [Test]
    public void Watch_ANodeChanges_IsCalledUntilDisposed()
    {
        var ledger = new AckLedger(_time);
        using var node = SubscribedNode(ledger, "envoy-1");
        var calls = 0;
        var registration = ledger.Watch(() => calls++);

        node.Acked(ResourceTypes.Cluster, At(1));
        registration.Dispose();
        node.Acked(ResourceTypes.Cluster, At(2));

        calls.Should().Be(1);
    }

    [Test]
    public void GetChanges_ForgottenDisconnectedNodes_AreNotReturned()
    {
        var ledger = new AckLedger(_time);
        for (var i = 0; i < AckLedger.MaxDisconnectedNodes + 5; i++)
        {
            SubscribedNode(ledger, $"envoy-{i}").Dispose();
        }

        ledger.GetChanges(0).Changes.Should().HaveCount(AckLedger.MaxDisconnectedNodes);
    }

    [Test]
    public void HasAckedClustersAndListeners_ByNodeId_CountsThatNodeOnly()
    {
        var ledger = new AckLedger(_time);
        using var remote = SubscribedNode(ledger, "remote-envoy");
        using var local = SubscribedNode(ledger, "alb-1");
        remote.Acked(ResourceTypes.Cluster, At(1));
        remote.Acked(ResourceTypes.Listener, At(1));

        ledger.HasAckedClustersAndListeners("alb-1").Should().BeFalse("only the remote Envoy ACKed");
        local.Acked(ResourceTypes.Cluster, At(1));
        local.Acked(ResourceTypes.Listener, At(1));
        ledger.HasAckedClustersAndListeners("alb-1").Should().BeTrue();
    }

    [Test]
    public async Task WaitForAckAsync_StillRejectedAtANewerVersion_EndsWithTheNacksError()
    {
        var ledger = new AckLedger(_time);
        using var node = SubscribedNode(ledger, "envoy-1");
        AckAll(node, 1);
        node.Nacked(ResourceTypes.Cluster, 2, "cluster bad: invalid");
        var wait = ledger.WaitForAckAsync(NodeKind.Envoy, 3, TimeSpan.FromSeconds(5), CancellationToken.None);
        wait.IsCompleted.Should().BeFalse("a rejection of version 2 says nothing about version 3 yet");

        node.StillRejected(ResourceTypes.Cluster, At(3));

        var result = await wait.DefaultTimeout();
        result.Nacks.Should().Equal("envoy-1: cluster bad: invalid");
        result.TimedOut.Should().BeFalse();
    }

    [Test]
    public async Task WaitForAckAsync_StillRejectedOnATypeThatNeverNacked_UsesTheNodesLastNack()
    {
        var ledger = new AckLedger(_time);
        using var node = SubscribedNode(ledger, "envoy-1");
        AckAll(node, 1);
        node.Nacked(ResourceTypes.Route, 2, "route r: invalid");

        node.StillRejected(ResourceTypes.Cluster, At(3));

        (await ledger.WaitForAckAsync(NodeKind.Envoy, 3, TimeSpan.Zero, CancellationToken.None).DefaultTimeout())
            .Nacks.Should().Equal("envoy-1: route r: invalid");
    }

    [Test]
    public async Task WaitForAckAsync_StillRejectedThenInSync_Succeeds()
    {
        var ledger = new AckLedger(_time);
        using var node = SubscribedNode(ledger, "envoy-1");
        node.Nacked(ResourceTypes.Cluster, 2, "cluster bad: invalid");
        node.StillRejected(ResourceTypes.Cluster, At(3));

        AckAll(node, 4);

        (await ledger.WaitForAckAsync(NodeKind.Envoy, 4, TimeSpan.Zero, CancellationToken.None).DefaultTimeout())
            .Succeeded.Should().BeTrue("the fix reached the node");
    }
}
