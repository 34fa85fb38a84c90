using Envoy.Config.Cluster.V3;
using Envoy.Config.Route.V3;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Tests.TestSupport;

namespace MarchProxy.ControlPlane.Tests.Server;

/// <summary>
/// A node that rejects one cluster keeps getting everything else: listeners and routes that do not
/// use the rejected cluster still arrive, and wait_for_ack answers instead of running out of time.
/// Both flavours, a node that was in sync and a node on its first response.
/// </summary>
public sealed class AdsNackRecoveryTests
{
    private const string BadClusterError = "cluster bad: connect_timeout must be at least 1ms";

    private AdsTestServer _server = null!;

    [SetUp]
    public async Task SetUp() => _server = await AdsTestServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    /// <summary>EDS clusters blue and green, listener l over RDS "orders", which splits 90/10.</summary>
    private static XdsModel Orders() => new XdsModel()
        .Set(Xds.EdsCluster("blue")).Set(Xds.Assignment("blue", 8001))
        .Set(Xds.EdsCluster("green")).Set(Xds.Assignment("green", 8002))
        .Set(Xds.Listener("l", "orders"))
        .Set(Xds.WeightedRoutes("orders", ("blue", 90), ("green", 10)));

    private static XdsModel WithBadCluster(XdsModel model) => model.Set(Xds.EdsCluster("bad")).Set(Xds.Assignment("bad", 8009));

    private static Dictionary<string, uint> Weights(RouteConfiguration routes) =>
        routes.VirtualHosts[0].Routes[0].Route_.WeightedClusters.Clusters.ToDictionary(c => c.Name, c => c.Weight ?? 0);

    private Task<AckWaitResult> WaitAsync(long version) =>
        _server.Ledger.WaitForAckAsync(NodeKind.Envoy, version, TimeSpan.FromSeconds(10), CancellationToken.None).DefaultTimeout();

    [Test]
    public async Task Sotw_SyncedNodeNacksANewCluster_LaterRouteChangesStillArrive()
    {
        var model = Orders();
        _server.Publish(1, model);
        await using var nacking = _server.Sotw(AdsTestServer.EnvoyNode("envoy-nack"));
        await nacking.SyncAsync(["blue", "green"], ["orders"]);
        await using var healthy = _server.Sotw(AdsTestServer.EnvoyNode("envoy-ok"));
        await healthy.SyncAsync(["blue", "green"], ["orders"]);

        _server.Publish(2, WithBadCluster(model));
        var cds = await nacking.ReadAsync();
        cds.Resources.Select(r => r.Unpack<Cluster>().Name).Should().Equal("bad", "blue", "green");
        await nacking.NackAsync(cds, BadClusterError);
        (await WaitAsync(2)).Nacks.Should().Equal("envoy-nack: " + BadClusterError);

        _server.Publish(3, model.Set(Xds.WeightedRoutes("orders", ("blue", 50), ("green", 50))));

        var rds = await nacking.ReadAndAckAsync();
        rds.TypeUrl.Should().Be(ResourceTypes.Route, "the rejected cluster does not hold back a route that does not use it");
        Weights(rds.Resources.Single().Unpack<RouteConfiguration>()).Should().Equal(new Dictionary<string, uint> { ["blue"] = 50, ["green"] = 50 });
        var result = await WaitAsync(3);
        result.TimedOut.Should().BeFalse("a node that still rejects part of a version is an answer, not a wait");
        result.Nacks.Should().Equal("envoy-nack: " + BadClusterError);

        // The fix: without the bad cluster the node holds version 4 as it is (its clusters did not change).
        _server.Publish(4, model.RemoveCluster("bad"));
        await AckHealthyUntilAsync(healthy, 4);
        (await WaitAsync(4)).Succeeded.Should().BeTrue();
        _server.Ledger.GetNodes().Single(n => n.NodeId == "envoy-nack").AckedVersions[ResourceTypes.Cluster].Should().Be("4");
    }

    [Test]
    public async Task Delta_SyncedNodeNacksANewCluster_LaterRouteChangesStillArrive()
    {
        var model = Orders();
        _server.Publish(1, model);
        await using var nacking = _server.Delta(AdsTestServer.EnvoyNode("envoy-nack"));
        await DeltaSyncAsync(nacking);

        _server.Publish(2, WithBadCluster(model));
        var cds = await nacking.ReadAsync();
        cds.Resources.Select(r => r.Name).Should().Equal("bad");
        await nacking.NackAsync(cds, BadClusterError);

        _server.Publish(3, model.Set(Xds.WeightedRoutes("orders", ("blue", 50), ("green", 50))));

        var rds = await nacking.ReadAndAckAsync();
        rds.TypeUrl.Should().Be(ResourceTypes.Route, "the rejected cluster does not hold back a route that does not use it");
        Weights(rds.Resources.Single().Resource_.Unpack<RouteConfiguration>()).Should().Equal(new Dictionary<string, uint> { ["blue"] = 50, ["green"] = 50 });
        var result = await WaitAsync(3);
        result.TimedOut.Should().BeFalse();
        result.Nacks.Should().Equal("envoy-nack: " + BadClusterError);

        // The fix deletes the cluster: the node may have applied it (Envoy applies the valid part of a
        // response it rejects), so it is told to remove it.
        _server.Publish(4, model.RemoveCluster("bad"));
        var removal = await nacking.ReadAndAckAsync();
        removal.TypeUrl.Should().Be(ResourceTypes.Cluster);
        removal.RemovedResources.Should().Equal("bad");
        (await WaitAsync(4)).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task Sotw_FreshNodeRejectsOneClusterOfItsFirstResponse_StillGetsEndpointsListenersAndRoutes()
    {
        _server.Publish(1, WithBadCluster(Orders()));
        await using var client = _server.Sotw();
        await client.SubscribeAsync(ResourceTypes.Cluster);
        var cds = await client.ReadAsync();
        await client.NackAsync(cds, BadClusterError);

        // Like Envoy, it applied the valid clusters and asks for their endpoints.
        await client.SubscribeAsync(ResourceTypes.Endpoint, "blue", "green");
        (await client.ReadAndAckAsync()).TypeUrl.Should().Be(ResourceTypes.Endpoint);
        await client.SubscribeAsync(ResourceTypes.Listener);
        (await client.ReadAndAckAsync()).TypeUrl.Should().Be(ResourceTypes.Listener);
        await client.SubscribeAsync(ResourceTypes.Route, "orders");
        var rds = await client.ReadAndAckAsync();

        rds.TypeUrl.Should().Be(ResourceTypes.Route, "its listener would otherwise warm forever");
        Weights(rds.Resources.Single().Unpack<RouteConfiguration>()).Should().ContainKeys("blue", "green");
        (await WaitAsync(1)).Nacks.Should().Equal("envoy-1: " + BadClusterError);
    }

    [Test]
    public async Task Delta_FreshNodeRejectsOneClusterOfItsFirstResponse_StillGetsEndpointsListenersAndRoutes()
    {
        _server.Publish(1, WithBadCluster(Orders()));
        await using var client = _server.Delta();
        await client.SubscribeAsync(ResourceTypes.Cluster, []);
        await client.NackAsync(await client.ReadAsync(), BadClusterError);

        await client.SubscribeAsync(ResourceTypes.Endpoint, ["blue", "green"]);
        (await client.ReadAndAckAsync()).Resources.Select(r => r.Name).Should().Equal("blue", "green");
        await client.SubscribeAsync(ResourceTypes.Listener, []);
        (await client.ReadAndAckAsync()).TypeUrl.Should().Be(ResourceTypes.Listener);
        await client.SubscribeAsync(ResourceTypes.Route, ["orders"]);
        var rds = await client.ReadAndAckAsync();

        rds.TypeUrl.Should().Be(ResourceTypes.Route, "its listener would otherwise warm forever");
        rds.Resources.Select(r => r.Name).Should().Equal("orders");
        (await WaitAsync(1)).Nacks.Should().Equal("envoy-1: " + BadClusterError);
    }

    [Test]
    public async Task Sotw_RouteToANewCluster_WaitsForTheClusterAndItsEndpoints()
    {
        var model = Orders();
        _server.Publish(1, model);
        await using var client = _server.Sotw();
        var first = await client.SyncAsync(["blue", "green"], ["orders"]);

        _server.Publish(2, model.Set(Xds.EdsCluster("red")).Set(Xds.Assignment("red", 8003))
            .Set(Xds.WeightedRoutes("orders", ("blue", 50), ("red", 50))));

        var cds = await client.ReadAsync();
        cds.TypeUrl.Should().Be(ResourceTypes.Cluster);
        await client.AckAsync(first[ResourceTypes.Endpoint], "blue", "green", "red");
        await client.AckAsync(cds);
        var eds = await client.ReadAndAckAsync();
        eds.TypeUrl.Should().Be(ResourceTypes.Endpoint, "the route waits until red is warm");
        var rds = await client.ReadAndAckAsync();
        rds.TypeUrl.Should().Be(ResourceTypes.Route);
        (await WaitAsync(2)).Succeeded.Should().BeTrue();
    }

    private static async Task DeltaSyncAsync(DeltaClient client)
    {
        foreach (var (typeUrl, names) in new[]
                 {
                     (ResourceTypes.Cluster, Array.Empty<string>()),
                     (ResourceTypes.Endpoint, ["blue", "green"]),
                     (ResourceTypes.Listener, []),
                     (ResourceTypes.Route, ["orders"]),
                 })
        {
            await client.SubscribeAsync(typeUrl, names);
            (await client.ReadAndAckAsync()).TypeUrl.Should().Be(typeUrl);
        }
    }

    /// <summary>The healthy client ACKs (subscribing to bad's endpoints while it exists) until it has seen <paramref name="version"/>.</summary>
    private static async Task AckHealthyUntilAsync(SotwClient client, long version)
    {
        var target = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        while (seen.GetValueOrDefault(ResourceTypes.Cluster) != target)
        {
            var response = await client.ReadAsync();
            seen[response.TypeUrl] = response.VersionInfo;
            await client.AckAsync(response);
        }
    }
}
