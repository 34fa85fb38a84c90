using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Tests.TestSupport;

namespace MarchProxy.ControlPlane.Tests.Cache;

/// <summary>
/// The reference closure: a node holds a version only once everything its held resources refer to
/// (listener → route configuration → cluster → ClusterLoadAssignment) is subscribed and held too.
/// </summary>
public sealed partial class AckLedgerTests
{
    /// <summary>What gRPC gets at version 1: listener "svc" over RDS "r", and "r" to EDS cluster "a".</summary>
    private static XdsModel GrpcModel() => new XdsModel()
        .Set(Xds.ApiListener("svc", "r"))
        .Set(Xds.Routes("r", "a"))
        .Set(Xds.EdsCluster("a"))
        .Set(Xds.Assignment("a", 8001));

    /// <summary>Subscribes like grpc-js (every type by name) and ACKs <paramref name="snapshot"/> for each.</summary>
    private static NodeTracker NamedSubscriberInSync(AckLedger ledger, Snapshot snapshot)
    {
        var node = ledger.Connect("grpc-1", NodeKind.Grpc);
        foreach (var (type, name) in new[]
                 {
                     (ResourceTypes.Listener, "svc"),
                     (ResourceTypes.Route, "r"),
                     (ResourceTypes.Cluster, "a"),
                     (ResourceTypes.Endpoint, "a"),
                 })
        {
            node.Subscribed(type, wildcard: false, [name]);
            node.Acked(type, snapshot);
        }

        return node;
    }

    /// <summary>Subscribes like Envoy (wildcard CDS and LDS, EDS "a" and RDS "r") and ACKs <paramref name="snapshot"/> for each.</summary>
    private static NodeTracker WildcardSubscriberInSync(AckLedger ledger, Snapshot snapshot)
    {
        var node = ledger.Connect("envoy-1", NodeKind.Envoy);
        foreach (var (type, names) in new[]
                 {
                     (ResourceTypes.Cluster, Array.Empty<string>()),
                     (ResourceTypes.Endpoint, ["a"]),
                     (ResourceTypes.Listener, []),
                     (ResourceTypes.Route, ["r"]),
                 })
        {
            node.Subscribed(type, wildcard: names.Length == 0, names);
            node.Acked(type, snapshot);
        }

        return node;
    }

    /// <summary>Where the ledger stands right now for <paramref name="version"/> (a zero timeout evaluates once).</summary>
    private static Task<AckWaitResult> NowAsync(AckLedger ledger, NodeKind kind, long version) =>
        ledger.WaitForAckAsync(kind, version, TimeSpan.Zero, CancellationToken.None).DefaultTimeout();

    [Test]
    public async Task WaitForAckAsync_NamedSubscriberAckedARouteToANewCluster_PendingUntilThatClusterAndItsEndpointsAreAcked()
    {
        var ledger = new AckLedger(_time);
        var model = GrpcModel();
        var v1 = Snapshot.Create(1, model.ToResources().ByType());
        using var node = NamedSubscriberInSync(ledger, v1);
        (await NowAsync(ledger, NodeKind.Grpc, 1)).Succeeded.Should().BeTrue();
        var v2 = Snapshot.Create(2, model.Set(Xds.WeightedRoutes("r", ("a", 0), ("c", 100))).Set(Xds.EdsCluster("c")).Set(Xds.Assignment("c", 8003)).ToResources().ByType(), v1);
        var wait = ledger.WaitForAckAsync(NodeKind.Grpc, 2, TimeSpan.FromSeconds(10), CancellationToken.None);

        // What the server reports: only the route changed for what the node subscribes to.
        node.InSync(ResourceTypes.Listener, v2);
        node.InSync(ResourceTypes.Cluster, v2);
        node.InSync(ResourceTypes.Endpoint, v2);
        node.Acked(ResourceTypes.Route, v2);
        (await NowAsync(ledger, NodeKind.Grpc, 2)).PendingNodes.Should().Equal(["grpc-1"], "the route names cluster c, which the node has not asked for");

        node.Subscribed(ResourceTypes.Cluster, wildcard: false, ["a", "c"]);
        (await NowAsync(ledger, NodeKind.Grpc, 2)).PendingNodes.Should().Equal(["grpc-1"], "the node asked for c but has not received it");
        node.Acked(ResourceTypes.Cluster, v2);
        (await NowAsync(ledger, NodeKind.Grpc, 2)).PendingNodes.Should().Equal(["grpc-1"], "c is an EDS cluster and its endpoints are not subscribed");
        node.Subscribed(ResourceTypes.Endpoint, wildcard: false, ["a", "c"]);
        (await NowAsync(ledger, NodeKind.Grpc, 2)).PendingNodes.Should().Equal(["grpc-1"], "c's endpoints have not arrived");
        wait.IsCompleted.Should().BeFalse();
        node.Acked(ResourceTypes.Endpoint, v2);

        var result = await wait.DefaultTimeout();
        result.Succeeded.Should().BeTrue();
        result.AckedNodes.Should().Be(1);
    }

    [Test]
    public async Task WaitForAckAsync_NamedSubscriberNeverAsksForTheReferencedCluster_TimesOutWithTheNodePending()
    {
        var ledger = new AckLedger(_time);
        var model = GrpcModel();
        var v1 = Snapshot.Create(1, model.ToResources().ByType());
        using var node = NamedSubscriberInSync(ledger, v1);
        var v2 = Snapshot.Create(2, model.Set(Xds.Routes("r", "c")).Set(Xds.EdsCluster("c")).Set(Xds.Assignment("c", 8003)).ToResources().ByType(), v1);
        var wait = ledger.WaitForAckAsync(NodeKind.Grpc, 2, TimeSpan.FromSeconds(3), CancellationToken.None);

        foreach (var type in new[] { ResourceTypes.Listener, ResourceTypes.Cluster, ResourceTypes.Endpoint })
        {
            node.InSync(type, v2);
        }

        node.Acked(ResourceTypes.Route, v2);
        _time.Advance(TimeSpan.FromSeconds(3));

        var result = await wait.DefaultTimeout();
        result.TimedOut.Should().BeTrue();
        result.AckedNodes.Should().Be(0);
        result.PendingNodes.Should().Equal("grpc-1");
        ledger.HasAckedClustersAndListeners(NodeKind.Grpc).Should().BeTrue("CDS and LDS were ACKed at least once");
        ledger.GetNodes().Single().AckedVersions[ResourceTypes.Route].Should().Be("2");
    }

    [Test]
    public async Task WaitForAckAsync_WildcardSubscriberGetsANewEdsCluster_PendingUntilItsEndpointsAreAcked()
    {
        var ledger = new AckLedger(_time);
        var model = XdsModel.Basic();
        var v1 = Snapshot.Create(1, model.ToResources().ByType());
        using var node = WildcardSubscriberInSync(ledger, v1);
        var v2 = Snapshot.Create(2, model.Set(Xds.EdsCluster("c")).Set(Xds.Assignment("c", 8003)).ToResources().ByType(), v1);

        node.Acked(ResourceTypes.Cluster, v2);
        node.InSync(ResourceTypes.Endpoint, v2);
        node.InSync(ResourceTypes.Listener, v2);
        node.InSync(ResourceTypes.Route, v2);
        (await NowAsync(ledger, NodeKind.Envoy, 2)).PendingNodes.Should().Equal(["envoy-1"], "no route uses c, but Envoy warms every cluster it holds");
        node.Subscribed(ResourceTypes.Endpoint, wildcard: false, ["a", "c"]);
        (await NowAsync(ledger, NodeKind.Envoy, 2)).PendingNodes.Should().Equal("envoy-1");
        node.Acked(ResourceTypes.Endpoint, v2);

        (await NowAsync(ledger, NodeKind.Envoy, 2)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task WaitForAckAsync_WildcardSubscriberGetsANewListener_PendingUntilItsRouteConfigurationIsAcked()
    {
        var ledger = new AckLedger(_time);
        var model = XdsModel.Basic();
        var v1 = Snapshot.Create(1, model.ToResources().ByType());
        using var node = WildcardSubscriberInSync(ledger, v1);
        var v2 = Snapshot.Create(2, model.Set(Xds.Listener("l2", "r2", 10002)).Set(Xds.Routes("r2", "a")).ToResources().ByType(), v1);

        node.Acked(ResourceTypes.Listener, v2);
        foreach (var type in new[] { ResourceTypes.Cluster, ResourceTypes.Endpoint, ResourceTypes.Route })
        {
            node.InSync(type, v2);
        }

        (await NowAsync(ledger, NodeKind.Envoy, 2)).PendingNodes.Should().Equal(["envoy-1"], "listener l2 needs route configuration r2");
        node.Subscribed(ResourceTypes.Route, wildcard: false, ["r", "r2"]);
        node.Acked(ResourceTypes.Route, v2);

        (await NowAsync(ledger, NodeKind.Envoy, 2)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task WaitForAckAsync_AckOfAResponseSentBeforeTheSubscriptionGrew_DoesNotCoverTheNewNames()
    {
        var ledger = new AckLedger(_time);
        var model = XdsModel.Basic();
        var v1 = Snapshot.Create(1, model.ToResources().ByType());
        using var node = WildcardSubscriberInSync(ledger, v1);
        var v2 = Snapshot.Create(2, model.Set(Xds.EdsCluster("c")).Set(Xds.Assignment("c", 8003)).Set(Xds.Assignment("a", 8100)).ToResources().ByType(), v1);
        node.Acked(ResourceTypes.Cluster, v2);
        node.InSync(ResourceTypes.Listener, v2);
        node.InSync(ResourceTypes.Route, v2);

        node.Subscribed(ResourceTypes.Endpoint, wildcard: false, ["a", "c"]);
        node.Acked(ResourceTypes.Endpoint, v2, coversSubscription: false);
        (await NowAsync(ledger, NodeKind.Envoy, 2)).PendingNodes.Should().Equal(["envoy-1"], "the EDS response ACKed carried only a");
        node.InSync(ResourceTypes.Endpoint, v2);

        (await NowAsync(ledger, NodeKind.Envoy, 2)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task WaitForAckAsync_NamedClusterThatNothingReferences_NeedsNoEndpoints()
    {
        var ledger = new AckLedger(_time);
        var model = GrpcModel().Set(Xds.EdsCluster("c")).Set(Xds.Assignment("c", 8003));
        var v1 = Snapshot.Create(1, model.ToResources().ByType());
        using var node = NamedSubscriberInSync(ledger, v1);
        var v2 = Snapshot.Create(2, model.Set(Xds.Routes("r", "c")).ToResources().ByType(), v1);
        node.InSync(ResourceTypes.Listener, v2);
        node.Acked(ResourceTypes.Route, v2);
        node.Subscribed(ResourceTypes.Cluster, wildcard: false, ["a", "c"]);
        node.Acked(ResourceTypes.Cluster, v2);

        // Moving off "a": the node drops its endpoints before the cluster itself.
        node.Subscribed(ResourceTypes.Endpoint, wildcard: false, ["c"]);
        node.Acked(ResourceTypes.Endpoint, v2);

        (await NowAsync(ledger, NodeKind.Grpc, 2)).Succeeded.Should().BeTrue("the node's roots are its listeners; nothing it holds routes to a");
    }
}
