using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Service.Discovery.V3;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Tests.TestSupport;

namespace MarchProxy.ControlPlane.Tests.Server;

/// <summary>State-of-the-world ADS through real gRPC: Kestrel on 127.0.0.1:0 and a Grpc.Net.Client acting as Envoy.</summary>
public sealed class AdsSotwTests
{
    private AdsTestServer _server = null!;

    [SetUp]
    public async Task SetUp() => _server = await AdsTestServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    private static string[] Names(DiscoveryResponse response) => response.TypeUrl switch
    {
        ResourceTypes.Cluster => response.Resources.Select(r => r.Unpack<Cluster>().Name).ToArray(),
        ResourceTypes.Endpoint => response.Resources.Select(r => r.Unpack<ClusterLoadAssignment>().ClusterName).ToArray(),
        ResourceTypes.Listener => response.Resources.Select(r => r.Unpack<Listener>().Name).ToArray(),
        _ => response.Resources.Select(r => r.Unpack<RouteConfiguration>().Name).ToArray(),
    };

    private async Task<(SotwClient Client, Dictionary<string, DiscoveryResponse> Responses)> SyncedEnvoyAsync(XdsModel model, string[]? eds = null)
    {
        _server.Publish(1, model);
        var client = _server.Sotw();
        var responses = await client.SyncAsync(eds ?? ["a"], ["r"]);
        (await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 1, TimeSpan.FromSeconds(10), CancellationToken.None).DefaultTimeout())
            .Succeeded.Should().BeTrue();
        return (client, responses);
    }

    [Test]
    public async Task FirstSync_EnvoyClient_GetsEveryTypeDecodableWithTheCanonicalMessages()
    {
        var (client, responses) = await SyncedEnvoyAsync(XdsModel.Basic());
        await using var _ = client;

        var cds = responses[ResourceTypes.Cluster];
        cds.VersionInfo.Should().Be("1");
        cds.Resources.Should().ContainSingle().Which.Unpack<Cluster>().Should().Be(Xds.EdsCluster("a"));
        responses[ResourceTypes.Endpoint].Resources.Single().Unpack<ClusterLoadAssignment>().Should().Be(Xds.Assignment("a", 8001));
        var listener = responses[ResourceTypes.Listener].Resources.Single().Unpack<Listener>();
        listener.FilterChains[0].Filters[0].TypedConfig.Unpack<HttpConnectionManager>().Rds.RouteConfigName.Should().Be("r");
        responses[ResourceTypes.Route].Resources.Single().Unpack<RouteConfiguration>()
            .VirtualHosts[0].Routes[0].Route_.Cluster.Should().Be("a");
        responses.Values.Select(r => r.Nonce).Should().OnlyHaveUniqueItems();
        _server.Observer.Events.Should().Contain("open:Envoy:sotw");
    }

    [Test]
    public async Task Ack_EveryType_IsRecordedInTheLedgerAndObserved()
    {
        var (client, _) = await SyncedEnvoyAsync(XdsModel.Basic());
        await using var _ = client;

        var node = _server.Ledger.GetNodes().Should().ContainSingle().Subject;
        node.NodeId.Should().Be("envoy-1");
        node.Connected.Should().BeTrue();
        node.AckedVersions.Should().HaveCount(4).And.OnlyContain(p => p.Value == "1");
        node.LastNack.Should().BeNull();
        _server.Ledger.HasAckedClustersAndListeners(NodeKind.Envoy).Should().BeTrue();
        _server.Observer.Events.Where(e => e.StartsWith("ack:", StringComparison.Ordinal)).Should().HaveCount(4);
        _server.Observer.AckLatencies.Should().OnlyContain(t => t >= TimeSpan.Zero);
    }

    [Test]
    public async Task Nack_IsRecordedAndThatVersionIsNeverSentAgain()
    {
        var model = XdsModel.Basic();
        var (client, _) = await SyncedEnvoyAsync(model);
        await using var _ = client;

        _server.Publish(2, model.Set(Xds.EdsCluster("a", connectTimeoutMs: 1)));
        var cds2 = await client.ReadAsync();
        cds2.VersionInfo.Should().Be("2");
        var eds = await client.ReadAndAckAsync();
        eds.TypeUrl.Should().Be(ResourceTypes.Endpoint, "a CDS update is followed by fresh EDS");
        var wait = _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(10), CancellationToken.None);
        await client.NackAsync(cds2, "cluster a: connect_timeout too small");

        var result = await wait.DefaultTimeout();
        result.Nacks.Should().Equal("envoy-1: cluster a: connect_timeout too small");
        var nack = _server.Ledger.GetNodes().Single().LastNack!;
        nack.TypeUrl.Should().Be(ResourceTypes.Cluster);
        nack.Version.Should().Be("2");
        nack.Error.Should().Be("cluster a: connect_timeout too small");
        _server.Observer.Events.Should().Contain($"nack:Envoy:{ResourceTypes.Cluster}");

        // A listener-only change: the next response is LDS, not the rejected CDS again.
        _server.Publish(3, model.Set(Xds.Listener("l", "r", 10002)));
        var next = await client.ReadAndAckAsync();
        next.TypeUrl.Should().Be(ResourceTypes.Listener);
        next.VersionInfo.Should().Be("3");

        // The next cluster change sends the next version.
        _server.Publish(4, model.Set(Xds.EdsCluster("a", connectTimeoutMs: 500)));
        var cds4 = await client.ReadAsync();
        cds4.TypeUrl.Should().Be(ResourceTypes.Cluster);
        cds4.VersionInfo.Should().Be("4");
    }

    [Test]
    public async Task StaleNonce_RequestIsIgnored()
    {
        var model = XdsModel.Basic();
        var (client, responses) = await SyncedEnvoyAsync(model);
        await using var _ = client;
        var oldEds = responses[ResourceTypes.Endpoint];

        _server.Publish(2, model.Set(Xds.Assignment("a", 9001)));
        var eds2 = await client.ReadAsync();
        eds2.VersionInfo.Should().Be("2");

        // A late NACK of the previous EDS response (stale nonce) that also names "zzz": ignored entirely.
        await client.SendAsync(new DiscoveryRequest
        {
            TypeUrl = ResourceTypes.Endpoint,
            ResponseNonce = oldEds.Nonce,
            ResourceNames = { "a", "zzz" },
            ErrorDetail = new Google.Rpc.Status { Code = 3, Message = "stale complaint" },
        });
        await client.AckAsync(eds2);

        (await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(10), CancellationToken.None).DefaultTimeout())
            .Succeeded.Should().BeTrue("the stale NACK was not recorded");
        _server.Ledger.GetNodes().Single().LastNack.Should().BeNull();
        _server.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 1106);

        // Nothing was answered to the stale request: the next response is the one for the next change.
        _server.Publish(3, model.Set(Xds.Routes("r", "a")).Set(Xds.Listener("l", "r", 10003)));
        (await client.ReadAsync()).TypeUrl.Should().Be(ResourceTypes.Listener);
    }

    [Test]
    public async Task SeveralTypesChange_ResponsesGoOutCdsEdsLdsRds()
    {
        var model = XdsModel.Basic();
        var (client, _) = await SyncedEnvoyAsync(model);
        await using var _ = client;

        _server.Publish(2, model
            .Set(Xds.Routes("r", "a", "a2"))
            .Set(Xds.Listener("l", "r", 10005))
            .Set(Xds.Assignment("a", 8009))
            .Set(Xds.StaticCluster("a2")));

        // The routes name the new cluster a2, so they wait for its ACK: the client ACKs as it goes.
        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var response = await client.ReadAndAckAsync();
            order.Add(response.TypeUrl);
            response.VersionInfo.Should().Be("2");
        }

        order.Should().Equal(ResourceTypes.Cluster, ResourceTypes.Endpoint, ResourceTypes.Listener, ResourceTypes.Route);
    }

    [Test]
    public async Task CdsUpdate_IsFollowedByFreshEdsEvenWhenAssignmentsAreUnchanged()
    {
        var model = XdsModel.Basic();
        var (client, _) = await SyncedEnvoyAsync(model);
        await using var _ = client;

        _server.Publish(2, model.Set(Xds.EdsCluster("a", connectTimeoutMs: 2500)));

        var cds = await client.ReadAndAckAsync();
        cds.TypeUrl.Should().Be(ResourceTypes.Cluster);
        var eds = await client.ReadAndAckAsync();
        eds.TypeUrl.Should().Be(ResourceTypes.Endpoint);
        eds.VersionInfo.Should().Be("1", "the assignments did not change");
        Names(eds).Should().Equal("a");
    }

    [Test]
    public async Task ClusterRemovedAndRouteMoved_RoutesGoOutBeforeTheClusterRemoval()
    {
        var model = XdsModel.Basic().Set(Xds.EdsCluster("b")).Set(Xds.Assignment("b", 8002));
        var (client, _) = await SyncedEnvoyAsync(model, eds: ["a", "b"]);
        await using var _ = client;

        _server.Publish(2, model.RemoveCluster("a").Set(Xds.Routes("r", "b")));

        var rds = await client.ReadAndAckAsync();
        rds.TypeUrl.Should().Be(ResourceTypes.Route);
        rds.Resources.Single().Unpack<RouteConfiguration>().VirtualHosts[0].Routes[0].Route_.Cluster.Should().Be("b");
        var cds = await client.ReadAndAckAsync();
        cds.TypeUrl.Should().Be(ResourceTypes.Cluster);
        cds.VersionInfo.Should().Be("2");
        Names(cds).Should().Equal("b");
    }

    [Test]
    public async Task ClusterReplaced_NewClusterWarmsBeforeRoutesMoveAndOldIsRemovedLast()
    {
        var model = XdsModel.Basic().Set(Xds.EdsCluster("b")).Set(Xds.Assignment("b", 8002));
        var (client, responses) = await SyncedEnvoyAsync(model, eds: ["a", "b"]);
        await using var _ = client;

        _server.Publish(2, model.RemoveCluster("a").Set(Xds.EdsCluster("c")).Set(Xds.Assignment("c", 8003)).Set(Xds.Routes("r", "c")));

        var staged = await client.ReadAsync();
        staged.TypeUrl.Should().Be(ResourceTypes.Cluster);
        Names(staged).Should().Equal(["a", "b", "c"], "the old cluster stays until nothing uses it");
        await client.AckAsync(staged);
        await client.AckAsync(responses[ResourceTypes.Endpoint], "b", "c");

        var eds = await client.ReadAndAckAsync();
        eds.TypeUrl.Should().Be(ResourceTypes.Endpoint);
        Names(eds).Should().Equal("b", "c");
        var rds = await client.ReadAndAckAsync();
        rds.TypeUrl.Should().Be(ResourceTypes.Route, "routes move only once the new cluster has its endpoints");
        var cds = await client.ReadAndAckAsync();
        cds.TypeUrl.Should().Be(ResourceTypes.Cluster);
        cds.VersionInfo.Should().Be("2");
        Names(cds).Should().Equal("b", "c");

        (await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(10), CancellationToken.None).DefaultTimeout())
            .Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task NewEdsCluster_WaitForAckCompletesOnlyOnceTheNodeHasItsEndpoints()
    {
        var model = XdsModel.Basic();
        var (client, responses) = await SyncedEnvoyAsync(model);
        await using var _ = client;
        var wait = _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(10), CancellationToken.None);

        _server.Publish(2, model.Set(Xds.EdsCluster("c")).Set(Xds.Assignment("c", 8003)));
        var cds = await client.ReadAndAckAsync();
        Names(cds).Should().Equal("a", "c");
        await client.AckAsync(responses[ResourceTypes.Endpoint], "a", "c");
        var eds = await client.ReadAsync();

        Names(eds).Should().Equal("a", "c");
        wait.IsCompleted.Should().BeFalse("the CDS ACK alone leaves cluster c warming");
        await client.AckAsync(eds);
        (await wait.DefaultTimeout()).Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task ListenerRemoved_FullStateLdsOmitsIt()
    {
        var model = XdsModel.Basic().Set(Xds.Listener("l2", "r", 10010));
        var (client, _) = await SyncedEnvoyAsync(model);
        await using var _ = client;

        _server.Publish(2, model.RemoveListener("l2"));

        var lds = await client.ReadAndAckAsync();
        lds.TypeUrl.Should().Be(ResourceTypes.Listener);
        Names(lds).Should().Equal("l");
    }

    [Test]
    public async Task GrpcClient_NamedLdsAndCds_GetsOnlyTheNamedOnesThatExistFromTheGrpcSnapshot()
    {
        _server.Publish(1, XdsModel.Basic(), NodeKind.Envoy);
        _server.Publish(1, XdsModel.Basic().Set(Xds.ApiListener("svc", "r")).Set(Xds.ApiListener("other", "r")), NodeKind.Grpc);
        await using var client = _server.Sotw(AdsTestServer.GrpcNode());

        await client.SubscribeAsync(ResourceTypes.Listener, "svc", "missing");
        var lds = await client.ReadAndAckAsync();
        Names(lds).Should().Equal("svc");
        await client.SubscribeAsync(ResourceTypes.Cluster, "a");
        Names(await client.ReadAndAckAsync()).Should().Equal("a");

        _server.Observer.Events.Should().Contain("open:Grpc:sotw");
        _server.Ledger.GetNodes().Single().Kind.Should().Be(NodeKind.Grpc);
    }

    [Test]
    public async Task Subscription_BeforeAnySnapshot_IsAnsweredWhenTheFirstOneArrives()
    {
        await using var client = _server.Sotw();
        await client.SubscribeAsync(ResourceTypes.Cluster);
        await _server.Observer.WaitForOpenedAsync(1).DefaultTimeout();
        var wait = _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 1, TimeSpan.FromSeconds(10), CancellationToken.None);

        _server.Publish(1, XdsModel.Basic());

        var cds = await client.ReadAndAckAsync();
        cds.VersionInfo.Should().Be("1");
        await client.SubscribeAsync(ResourceTypes.Endpoint, "a");
        (await client.ReadAndAckAsync()).TypeUrl.Should().Be(ResourceTypes.Endpoint, "cluster a is an EDS cluster");
        var result = await wait.DefaultTimeout();
        result.Succeeded.Should().BeTrue();
        result.AckedNodes.Should().Be(1);
    }

    [Test]
    public async Task FirstRequestWithoutNode_IsRefused()
    {
        using var call = _server.Client.StreamAggregatedResources();
        await call.RequestStream.WriteAsync(new DiscoveryRequest { TypeUrl = ResourceTypes.Cluster }).DefaultTimeout();

        var read = () => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout();

        (await read.Should().ThrowAsync<Grpc.Core.RpcException>()).Which.StatusCode.Should().Be(Grpc.Core.StatusCode.InvalidArgument);
    }
}
