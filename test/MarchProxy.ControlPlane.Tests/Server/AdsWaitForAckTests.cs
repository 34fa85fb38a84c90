using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Service.Discovery.V3;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Tests.TestSupport;

namespace MarchProxy.ControlPlane.Tests.Server;

/// <summary>
/// wait_for_ack through the real ADS server when a change brings a resource the client asks for only
/// after it ACKed what refers to it: Envoy's endpoints of a new EDS cluster, and gRPC's cluster (by
/// name) and endpoints for a route's new backend. The wait ends only once the node holds them.
/// </summary>
public sealed class AdsWaitForAckTests
{
    private AdsTestServer _server = null!;

    [SetUp]
    public async Task SetUp() => _server = await AdsTestServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    /// <summary>What gRPC gets at version 1: listener "svc" over RDS "r", and "r" to EDS cluster "a".</summary>
    private static XdsModel GrpcModel() => new XdsModel()
        .Set(Xds.ApiListener("svc", "r"))
        .Set(Xds.Routes("r", "a"))
        .Set(Xds.EdsCluster("a"))
        .Set(Xds.Assignment("a", 8001));

    /// <summary>The route moves all traffic to "c", a cluster the client has never been sent.</summary>
    private static XdsModel MoveToNewCluster(XdsModel model) => model
        .Set(Xds.WeightedRoutes("r", ("a", 0), ("c", 100)))
        .Set(Xds.EdsCluster("c"))
        .Set(Xds.Assignment("c", 8003));

    private static string[] ClusterNames(DiscoveryResponse response) => response.Resources.Select(r => r.Unpack<Cluster>().Name).ToArray();

    private static string[] EndpointNames(DiscoveryResponse response) =>
        response.Resources.Select(r => r.Unpack<ClusterLoadAssignment>().ClusterName).ToArray();

    private Task<AckWaitResult> WaitAsync(NodeKind kind, long version) =>
        _server.Ledger.WaitForAckAsync(kind, version, TimeSpan.FromSeconds(10), CancellationToken.None);

    /// <summary>Where the ledger stands right now (a zero timeout evaluates once).</summary>
    private Task<AckWaitResult> NowAsync(NodeKind kind, long version) =>
        _server.Ledger.WaitForAckAsync(kind, version, TimeSpan.Zero, CancellationToken.None).DefaultTimeout();

    private static async Task SyncEnvoyDeltaAsync(DeltaClient client)
    {
        foreach (var (typeUrl, names) in new[]
                 {
                     (ResourceTypes.Cluster, Array.Empty<string>()),
                     (ResourceTypes.Endpoint, ["a"]),
                     (ResourceTypes.Listener, []),
                     (ResourceTypes.Route, ["r"]),
                 })
        {
            await client.SubscribeAsync(typeUrl, names);
            (await client.ReadAndAckAsync()).TypeUrl.Should().Be(typeUrl);
        }
    }

    [Test]
    public async Task Sotw_GrpcClientRouteToANewCluster_CompletesOnlyOnceItsClusterAndEndpointsAreAcked()
    {
        var model = GrpcModel();
        _server.Publish(1, model, NodeKind.Grpc);
        await using var client = _server.Sotw(AdsTestServer.GrpcNode());
        var first = new Dictionary<string, DiscoveryResponse>(StringComparer.Ordinal);
        foreach (var (typeUrl, name) in new[]
                 {
                     (ResourceTypes.Listener, "svc"),
                     (ResourceTypes.Route, "r"),
                     (ResourceTypes.Cluster, "a"),
                     (ResourceTypes.Endpoint, "a"),
                 })
        {
            await client.SubscribeAsync(typeUrl, name);
            first[typeUrl] = await client.ReadAndAckAsync();
        }

        (await WaitAsync(NodeKind.Grpc, 1).DefaultTimeout()).Succeeded.Should().BeTrue();
        var wait = WaitAsync(NodeKind.Grpc, 2);

        _server.Publish(2, MoveToNewCluster(model), NodeKind.Grpc);
        (await client.ReadAndAckAsync()).TypeUrl.Should().Be(ResourceTypes.Route);
        await client.AckAsync(first[ResourceTypes.Cluster], "a", "c");
        var cds = await client.ReadAsync();
        ClusterNames(cds).Should().Equal("a", "c");
        (await NowAsync(NodeKind.Grpc, 2)).PendingNodes.Should().Equal(["grpc-1"], "the route is ACKed, but not the cluster it names");
        await client.AckAsync(cds);
        await client.AckAsync(first[ResourceTypes.Endpoint], "a", "c");
        var eds = await client.ReadAsync();
        EndpointNames(eds).Should().Equal("a", "c");
        (await NowAsync(NodeKind.Grpc, 2)).PendingNodes.Should().Equal(["grpc-1"], "cluster c is ACKed, but not its endpoints");
        wait.IsCompleted.Should().BeFalse("the wait never saw the node complete, not even between the route's ACK and the next subscription");
        await client.AckAsync(eds);

        var result = await wait.DefaultTimeout();
        result.Succeeded.Should().BeTrue();
        result.AckedNodes.Should().Be(1);
    }

    [Test]
    public async Task Delta_GrpcClientRouteToANewCluster_CompletesOnlyOnceItsClusterAndEndpointsAreAcked()
    {
        var model = GrpcModel();
        _server.Publish(1, model, NodeKind.Grpc);
        await using var client = _server.Delta(AdsTestServer.GrpcNode());
        foreach (var (typeUrl, name) in new[]
                 {
                     (ResourceTypes.Listener, "svc"),
                     (ResourceTypes.Route, "r"),
                     (ResourceTypes.Cluster, "a"),
                     (ResourceTypes.Endpoint, "a"),
                 })
        {
            await client.SubscribeAsync(typeUrl, [name]);
            (await client.ReadAndAckAsync()).TypeUrl.Should().Be(typeUrl);
        }

        (await WaitAsync(NodeKind.Grpc, 1).DefaultTimeout()).Succeeded.Should().BeTrue();
        var wait = WaitAsync(NodeKind.Grpc, 2);

        _server.Publish(2, MoveToNewCluster(model), NodeKind.Grpc);
        (await client.ReadAndAckAsync()).TypeUrl.Should().Be(ResourceTypes.Route);
        await client.SubscribeAsync(ResourceTypes.Cluster, ["c"]);
        var cds = await client.ReadAsync();
        cds.Resources.Select(r => r.Name).Should().Equal("c");
        (await NowAsync(NodeKind.Grpc, 2)).PendingNodes.Should().Equal(["grpc-1"], "the route is ACKed, but not the cluster it names");
        await client.AckAsync(cds);
        await client.SubscribeAsync(ResourceTypes.Endpoint, ["c"]);
        var eds = await client.ReadAsync();
        eds.Resources.Select(r => r.Name).Should().Equal("c");
        (await NowAsync(NodeKind.Grpc, 2)).PendingNodes.Should().Equal(["grpc-1"], "cluster c is ACKed, but not its endpoints");
        wait.IsCompleted.Should().BeFalse("the wait never saw the node complete, not even between the route's ACK and the next subscription");
        await client.AckAsync(eds);

        (await wait.DefaultTimeout()).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task Sotw_EnvoyRouteToANewEdsCluster_CompletesOnlyOnceItsEndpointsAndTheRouteAreAcked()
    {
        var model = XdsModel.Basic();
        _server.Publish(1, model);
        await using var client = _server.Sotw();
        var first = await client.SyncAsync(["a"], ["r"]);
        var wait = WaitAsync(NodeKind.Envoy, 2);

        _server.Publish(2, model.Set(Xds.EdsCluster("c")).Set(Xds.Assignment("c", 8003)).Set(Xds.Routes("r", "c")));
        var cds = await client.ReadAndAckAsync();
        ClusterNames(cds).Should().Equal("a", "c");
        await client.AckAsync(first[ResourceTypes.Endpoint], "a", "c");
        var eds = await client.ReadAsync();
        EndpointNames(eds).Should().Equal("a", "c");
        (await NowAsync(NodeKind.Envoy, 2)).PendingNodes.Should().Equal(["envoy-1"], "cluster c is still warming");
        await client.AckAsync(eds);
        var rds = await client.ReadAsync();
        rds.TypeUrl.Should().Be(ResourceTypes.Route);
        (await NowAsync(NodeKind.Envoy, 2)).PendingNodes.Should().Equal(["envoy-1"], "the route has not moved yet");
        await client.AckAsync(rds);

        (await wait.DefaultTimeout()).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task Delta_EnvoyNewEdsCluster_CompletesOnlyAfterItsEndpointsAreAcked()
    {
        var model = XdsModel.Basic();
        _server.Publish(1, model);
        await using var client = _server.Delta();
        await SyncEnvoyDeltaAsync(client);
        var wait = WaitAsync(NodeKind.Envoy, 2);

        _server.Publish(2, model.Set(Xds.EdsCluster("c")).Set(Xds.Assignment("c", 8003)));
        var cds = await client.ReadAndAckAsync();
        cds.Resources.Select(r => r.Name).Should().Equal("c");
        await client.SubscribeAsync(ResourceTypes.Endpoint, ["c"]);
        var eds = await client.ReadAsync();
        eds.Resources.Select(r => r.Name).Should().Equal("c");
        (await NowAsync(NodeKind.Envoy, 2)).PendingNodes.Should().Equal(["envoy-1"], "no route uses c, but Envoy warms it until its endpoints arrive");
        wait.IsCompleted.Should().BeFalse("the wait never saw the node complete, not even between the CDS ACK and the EDS subscription");
        await client.AckAsync(eds);

        (await wait.DefaultTimeout()).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task Delta_EnvoySubscribesWhileEdsIsInFlight_TheAckOfThatResponseDoesNotCoverTheNewName()
    {
        var model = XdsModel.Basic();
        _server.Publish(1, model);
        await using var client = _server.Delta();
        await SyncEnvoyDeltaAsync(client);
        var wait = WaitAsync(NodeKind.Envoy, 2);

        _server.Publish(2, model.Set(Xds.Assignment("a", 8100)).Set(Xds.EdsCluster("c")).Set(Xds.Assignment("c", 8003)));
        var cds = await client.ReadAsync();
        cds.Resources.Select(r => r.Name).Should().Equal("c");
        var edsA = await client.ReadAsync();
        edsA.Resources.Select(r => r.Name).Should().Equal("a");
        await client.AckAsync(cds);
        await client.SubscribeAsync(ResourceTypes.Endpoint, ["c"]);
        await client.AckAsync(edsA);
        var edsC = await client.ReadAsync();
        edsC.Resources.Select(r => r.Name).Should().Equal("c");
        (await NowAsync(NodeKind.Envoy, 2)).PendingNodes.Should().Equal(["envoy-1"], "the EDS response ACKed was sent before the node asked for c");
        await client.AckAsync(edsC);

        (await wait.DefaultTimeout()).Succeeded.Should().BeTrue();
    }
}
