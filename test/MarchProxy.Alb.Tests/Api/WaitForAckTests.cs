using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.Alb.Tests.Api;

/// <summary>wait_for_ack against an in-test xDS client that ACKs, NACKs or stays silent.</summary>
public sealed class WaitForAckTests : AlbHostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Alb:AckTimeout"] = "00:00:01" };

    [Test]
    public async Task UpsertCluster_NoNodeConnected_ReturnsAtOnceWithZeroAckedNodes()
    {
        var request = Requests.UpsertCluster("c");
        request.WaitForAck = true;

        var response = await Host.Client.UpsertClusterAsync(request).ResponseAsync.DefaultTimeout();

        response.Success.Should().BeTrue();
        response.Ack.Should().Be(new AckStatus { AckedNodes = 0, PendingNodes = 0 });
    }

    [Test]
    public async Task UpsertCluster_NodeAcks_ReturnsAfterTheAck()
    {
        await using var node = await ConnectInSyncAsync("envoy-ack");
        var request = Requests.UpsertCluster("c");
        request.WaitForAck = true;

        var response = await Host.Client.UpsertClusterAsync(request).ResponseAsync.DefaultTimeout();

        response.Ack.Should().Be(new AckStatus { AckedNodes = 1, PendingNodes = 0 });
        var status = await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        var xds = status.XdsNodes.Should().ContainSingle().Which;
        xds.NodeId.Should().Be("envoy-ack");
        xds.Kind.Should().Be("envoy");
        xds.Connected.Should().BeTrue();
        long.Parse(xds.AckedVersions[ResourceTypes.Cluster], System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(response.Version);
    }

    [Test]
    public async Task UpsertRoute_NodeAcksOtherTypes_CountsItAsInSync()
    {
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("c")).ResponseAsync.DefaultTimeout();
        await using var node = await ConnectInSyncAsync("envoy-ack", clusterVersion: 2);
        var request = Requests.UpsertRoute("r", "c");
        request.WaitForAck = true;

        var response = await Host.Client.UpsertRouteAsync(request).ResponseAsync.DefaultTimeout();

        response.Ack.AckedNodes.Should().Be(1);
    }

    [Test]
    public async Task UpsertCluster_NodeNacks_AbortedWithTheNodesErrorAndTheStateKeepsTheChange()
    {
        await using var node = await ConnectInSyncAsync("envoy-nack");
        node.Behavior = AckBehavior.Nack;
        var request = Requests.UpsertCluster("c");
        request.WaitForAck = true;

        var error = await Host.Client.UpsertClusterAsync(request).ShouldFailWith(StatusCode.Aborted);

        error.Status.Detail.Should().Contain("envoy-nack: " + FakeXdsNode.NackError);
        var clusters = await Host.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout();
        clusters.Clusters.Select(c => c.Name).Should().Equal("c");
        clusters.Version.Should().Be(2);
        var status = await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        status.XdsNodes.Single().LastNackError.Should().Be(FakeXdsNode.NackError);
        status.XdsNodes.Single().LastNackType.Should().Be(ResourceTypes.Cluster);
    }

    [Test]
    public async Task UpsertCluster_NodeSilent_DeadlineExceededAfterAckTimeoutAndTheStateKeepsTheChange()
    {
        await using var node = await ConnectInSyncAsync("envoy-silent");
        node.Behavior = AckBehavior.Silent;
        var request = Requests.UpsertCluster("c");
        request.WaitForAck = true;

        var error = await Host.Client.UpsertClusterAsync(request).ShouldFailWith(StatusCode.DeadlineExceeded);

        error.Status.Detail.Should().Contain("envoy-silent");
        (await Host.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Version.Should().Be(2);
    }

    [Test]
    public async Task UpsertCluster_NodeSilentAndCallDeadline_DeadlineExceeded()
    {
        await using var node = await ConnectInSyncAsync("envoy-silent");
        node.Behavior = AckBehavior.Silent;
        var request = Requests.UpsertCluster("c");
        request.WaitForAck = true;

        await Host.Client.UpsertClusterAsync(request, deadline: DateTime.UtcNow.AddSeconds(2)).ShouldFailWith(StatusCode.DeadlineExceeded);
    }

    /// <summary>
    /// Connects an ACKing node and waits until it has received (and ACKed) what is served now. A
    /// type's version is the config version at which its content last changed: the listeners are
    /// still at version 1 here.
    /// </summary>
    private async Task<FakeXdsNode> ConnectInSyncAsync(string nodeId, long clusterVersion = 1)
    {
        var node = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), nodeId);
        await node.WaitForAsync(ResourceTypes.Cluster, clusterVersion);
        await node.WaitForAsync(ResourceTypes.Listener, 1);
        return node;
    }
}
