using MarchProxy.Alb.Api.Events;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.Api.Events;

/// <summary>Node events from the ledger's feed of changed streams: each reading costs what changed.</summary>
public sealed class NodeEventDiffTests
{
    private static NodeAckState Node(string id, bool connected = true, string? clusterVersion = null, NackInfo? nack = null) => new(
        id,
        NodeKind.Envoy,
        connected,
        clusterVersion is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ResourceTypes.Cluster] = clusterVersion },
        nack);

    private static NodeStatusChanges Changes(long cursor, params NodeStatusChange[] changes) => new(changes, cursor);

    [Test]
    public void Next_OneStreamAcks_GivesOnlyThatStreamsEvent()
    {
        var diff = new NodeEventDiff();
        diff.SetBaseline(Changes(2, new(1, Node("a", clusterVersion: "1")), new(2, Node("b", clusterVersion: "1"))));

        var events = diff.Next(Changes(3, new NodeStatusChange(2, Node("b", clusterVersion: "2"))));

        events.Should().ContainSingle().Which.Should().Be(new XdsNodeEvent
        {
            NodeId = "b",
            Kind = "envoy",
            Event = NodeEventDiff.Acked,
            TypeUrl = ResourceTypes.Cluster,
            Version = "2",
        });
        diff.Cursor.Should().Be(3);
    }

    [Test]
    public void Next_ConnectAckNackDisconnect_InThatOrder()
    {
        var diff = new NodeEventDiff();
        diff.SetBaseline(Changes(0));
        var nack = new NackInfo(ResourceTypes.Cluster, "2", "bad", DateTimeOffset.UnixEpoch);

        var connected = diff.Next(Changes(1, new NodeStatusChange(7, Node("a", clusterVersion: "1"))));
        var nacked = diff.Next(Changes(2, new NodeStatusChange(7, Node("a", clusterVersion: "1", nack: nack))));
        var gone = diff.Next(Changes(3, new NodeStatusChange(7, Node("a", connected: false, clusterVersion: "1", nack: nack))));

        connected.Select(e => e.Event).Should().Equal(NodeEventDiff.Connected, NodeEventDiff.Acked);
        nacked.Should().ContainSingle().Which.Error.Should().Be("bad");
        gone.Select(e => e.Event).Should().Equal(NodeEventDiff.Disconnected);
    }

    [Test]
    public void Next_NodeReconnectsBeforeItsOldStreamCloses_StaysConnected()
    {
        var diff = new NodeEventDiff();
        diff.SetBaseline(Changes(1, new NodeStatusChange(1, Node("a"))));

        var reconnect = diff.Next(Changes(2, new NodeStatusChange(2, Node("a"))));
        var oldCloses = diff.Next(Changes(3, new NodeStatusChange(1, Node("a", connected: false))));
        var newCloses = diff.Next(Changes(4, new NodeStatusChange(2, Node("a", connected: false))));

        reconnect.Should().BeEmpty("node a was connected already");
        oldCloses.Should().BeEmpty("another stream of node a is still open");
        newCloses.Select(e => e.Event).Should().Equal(NodeEventDiff.Disconnected);
    }

    [Test]
    public void SetBaseline_DisconnectedNodes_AreNotCountedAsConnected()
    {
        var diff = new NodeEventDiff();
        diff.SetBaseline(Changes(1, new NodeStatusChange(1, Node("a", connected: false))));

        diff.Next(Changes(2, new NodeStatusChange(2, Node("a")))).Select(e => e.Event).Should().Equal(NodeEventDiff.Connected);
    }
}
