using Envoy.Config.Cluster.V3;
using Envoy.Config.Route.V3;
using Envoy.Service.Discovery.V3;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Tests.TestSupport;

namespace MarchProxy.ControlPlane.Tests.Server;

/// <summary>Incremental (delta) ADS through real gRPC, with a client acting as Envoy with DELTA_GRPC.</summary>
public sealed class AdsDeltaTests
{
    private AdsTestServer _server = null!;

    [SetUp]
    public async Task SetUp() => _server = await AdsTestServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    private static Dictionary<string, string> Versions(DeltaDiscoveryResponse response) =>
        response.Resources.ToDictionary(r => r.Name, r => r.Version);

    /// <summary>Subscribes like Envoy (wildcard CDS and LDS, named EDS and RDS) and ACKs each first response.</summary>
    private static async Task<Dictionary<string, DeltaDiscoveryResponse>> SyncAsync(DeltaClient client, string[] eds, string[] rds)
    {
        var responses = new Dictionary<string, DeltaDiscoveryResponse>(StringComparer.Ordinal);
        foreach (var (typeUrl, names) in new[]
                 {
                     (ResourceTypes.Cluster, Array.Empty<string>()),
                     (ResourceTypes.Endpoint, eds),
                     (ResourceTypes.Listener, Array.Empty<string>()),
                     (ResourceTypes.Route, rds),
                 })
        {
            await client.SubscribeAsync(typeUrl, names);
            var response = await client.ReadAndAckAsync();
            response.TypeUrl.Should().Be(typeUrl);
            responses[typeUrl] = response;
        }

        return responses;
    }

    private async Task<(DeltaClient Client, Dictionary<string, DeltaDiscoveryResponse> Responses)> SyncedAsync(XdsModel model, string[]? eds = null)
    {
        _server.Publish(1, model);
        var client = _server.Delta();
        var responses = await SyncAsync(client, eds ?? ["a"], ["r"]);
        (await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 1, TimeSpan.FromSeconds(10), CancellationToken.None).DefaultTimeout())
            .Succeeded.Should().BeTrue();
        return (client, responses);
    }

    [Test]
    public async Task FirstSync_SendsEveryResourceWithItsContentVersion()
    {
        var model = XdsModel.Basic().Set(Xds.StaticCluster("s"));
        var (client, responses) = await SyncedAsync(model);
        await using var _ = client;
        var snapshot = _server.Cache.GetSnapshot(NodeKind.Envoy)!;

        var cds = responses[ResourceTypes.Cluster];
        Versions(cds).Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["a"] = snapshot.Clusters.Find("a")!.Version,
            ["s"] = snapshot.Clusters.Find("s")!.Version,
        });
        cds.SystemVersionInfo.Should().Be("1");
        cds.Resources.Single(r => r.Name == "a").Resource_.Unpack<Cluster>().Should().Be(Xds.EdsCluster("a"));
        responses[ResourceTypes.Endpoint].Resources.Select(r => r.Name).Should().Equal("a");
        responses[ResourceTypes.Route].Resources.Select(r => r.Name).Should().Equal("r");
        _server.Observer.Events.Should().Contain("open:Envoy:delta");
        _server.Ledger.GetNodes().Single().AckedVersions.Should().HaveCount(4);
    }

    [Test]
    public async Task Change_SendsOnlyTheChangedResources()
    {
        var model = XdsModel.Basic().Set(Xds.StaticCluster("s")).Set(Xds.StaticCluster("t"));
        var (client, _) = await SyncedAsync(model);
        await using var _ = client;

        var changed = Xds.StaticCluster("t");
        changed.ConnectTimeout = new Google.Protobuf.WellKnownTypes.Duration { Seconds = 3 };
        _server.Publish(2, model.Set(changed));

        var cds = await client.ReadAndAckAsync();
        cds.TypeUrl.Should().Be(ResourceTypes.Cluster);
        cds.Resources.Select(r => r.Name).Should().Equal("t");
        cds.RemovedResources.Should().BeEmpty();
        cds.Resources.Single().Version.Should().Be(_server.Cache.GetSnapshot(NodeKind.Envoy)!.Clusters.Find("t")!.Version);
        (await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(10), CancellationToken.None).DefaultTimeout())
            .Succeeded.Should().BeTrue();
    }

    [Test]
    public async Task Nack_IsRecordedAndTheRejectedResourcesAreNotSentAgain()
    {
        var model = XdsModel.Basic();
        var (client, _) = await SyncedAsync(model);
        await using var _ = client;

        _server.Publish(2, model.Set(Xds.Routes("r", "a", "a")));
        var rds2 = await client.ReadAsync();
        rds2.TypeUrl.Should().Be(ResourceTypes.Route);
        await client.NackAsync(rds2, "route r: duplicate match");

        var result = await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(10), CancellationToken.None).DefaultTimeout();
        result.Nacks.Should().Equal("envoy-1: route r: duplicate match");
        _server.Ledger.GetNodes().Single().LastNack!.Version.Should().Be("2");

        _server.Publish(3, model.Set(Xds.Listener("l", "r", 10020)));
        var next = await client.ReadAndAckAsync();
        next.TypeUrl.Should().Be(ResourceTypes.Listener, "the rejected routes are not resent; the next change goes out");
        next.SystemVersionInfo.Should().Be("3");

        _server.Publish(4, model.Set(Xds.WeightedRoutes("r", ("a", 100))));
        var rds4 = await client.ReadAndAckAsync();
        rds4.TypeUrl.Should().Be(ResourceTypes.Route);
        rds4.SystemVersionInfo.Should().Be("4");
    }

    [Test]
    public async Task Nack_ThenTheChangeIsReverted_NothingIsSentAndTheNodeHoldsTheNewVersion()
    {
        var model = XdsModel.Basic();
        var (client, _) = await SyncedAsync(model);
        await using var _ = client;
        _server.Publish(2, model.Set(Xds.Routes("r", "a", "a")));
        await client.NackAsync(await client.ReadAsync(), "route r: duplicate match");
        (await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(10), CancellationToken.None).DefaultTimeout())
            .Nacks.Should().ContainSingle();

        // Version 3 is version 1's content again, which the client still holds: nothing to send.
        _server.Publish(3, model.Set(Xds.Routes("r", "a")));

        (await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 3, TimeSpan.FromSeconds(10), CancellationToken.None).DefaultTimeout())
            .Succeeded.Should().BeTrue("the node holds version 3's content");
        _server.Publish(4, model.Set(Xds.Listener("l", "r", 10030)));
        (await client.ReadAsync()).TypeUrl.Should().Be(ResourceTypes.Listener, "no RDS response came in between");
    }

    [Test]
    public async Task StaleNonce_AckIsIgnoredButSubscriptionChangesApply()
    {
        var model = XdsModel.Basic().Set(Xds.Assignment("b", 8002));
        var (client, responses) = await SyncedAsync(model);
        await using var _ = client;

        _server.Publish(2, model.Set(Xds.Assignment("a", 8100)));
        var eds2 = await client.ReadAsync();

        // A late NACK of the first EDS response, which also subscribes to "b".
        await client.SendAsync(new DeltaDiscoveryRequest
        {
            TypeUrl = ResourceTypes.Endpoint,
            ResponseNonce = responses[ResourceTypes.Endpoint].Nonce,
            ResourceNamesSubscribe = { "b" },
            ErrorDetail = new Google.Rpc.Status { Code = 3, Message = "stale complaint" },
        });
        await client.AckAsync(eds2);

        var eds = await client.ReadAndAckAsync();
        eds.Resources.Select(r => r.Name).Should().Equal("b");
        _server.Ledger.GetNodes().Single().LastNack.Should().BeNull();
        _server.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 1106);
    }

    [Test]
    public async Task SeveralTypesChange_ResponsesGoOutCdsEdsLdsRds()
    {
        var model = XdsModel.Basic();
        var (client, _) = await SyncedAsync(model);
        await using var _ = client;

        _server.Publish(2, model
            .Set(Xds.EdsCluster("a", connectTimeoutMs: 700))
            .Set(Xds.Assignment("a", 8011))
            .Set(Xds.Listener("l", "r", 10021))
            .Set(Xds.Routes("r", "a", "a")));

        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            order.Add((await client.ReadAsync()).TypeUrl);
        }

        order.Should().Equal(ResourceTypes.Cluster, ResourceTypes.Endpoint, ResourceTypes.Listener, ResourceTypes.Route);
    }

    [Test]
    public async Task CdsUpdate_IsFollowedByFreshEdsForThatCluster()
    {
        var model = XdsModel.Basic().Set(Xds.EdsCluster("b")).Set(Xds.Assignment("b", 8002));
        var (client, _) = await SyncedAsync(model, eds: ["a", "b"]);
        await using var _ = client;

        _server.Publish(2, model.Set(Xds.EdsCluster("b", connectTimeoutMs: 900)));

        (await client.ReadAndAckAsync()).Resources.Select(r => r.Name).Should().Equal("b");
        var eds = await client.ReadAndAckAsync();
        eds.TypeUrl.Should().Be(ResourceTypes.Endpoint);
        eds.Resources.Select(r => r.Name).Should().Equal(["b"], "only the updated cluster's assignment is refreshed");
    }

    [Test]
    public async Task Removal_GoesOutInReverseOrderAfterTheAdditions()
    {
        var model = XdsModel.Basic().Set(Xds.EdsCluster("b")).Set(Xds.Assignment("b", 8002));
        var (client, _) = await SyncedAsync(model, eds: ["a", "b"]);
        await using var _ = client;

        _server.Publish(2, model.RemoveCluster("a").Set(Xds.Routes("r", "b")));

        var rds = await client.ReadAndAckAsync();
        rds.TypeUrl.Should().Be(ResourceTypes.Route);
        rds.Resources.Single().Resource_.Unpack<RouteConfiguration>().VirtualHosts[0].Routes[0].Route_.Cluster.Should().Be("b");
        var eds = await client.ReadAndAckAsync();
        eds.TypeUrl.Should().Be(ResourceTypes.Endpoint);
        eds.RemovedResources.Should().Equal("a");
        var cds = await client.ReadAndAckAsync();
        cds.TypeUrl.Should().Be(ResourceTypes.Cluster);
        cds.Resources.Should().BeEmpty();
        cds.RemovedResources.Should().Equal("a");
    }

    [Test]
    public async Task SubscriptionToUnknownName_IsAnsweredInRemovedResources()
    {
        var (client, _) = await SyncedAsync(XdsModel.Basic());
        await using var _ = client;

        await client.SubscribeAsync(ResourceTypes.Route, ["nope"]);

        var response = await client.ReadAndAckAsync();
        response.TypeUrl.Should().Be(ResourceTypes.Route);
        response.Resources.Should().BeEmpty();
        response.RemovedResources.Should().Equal("nope");
    }

    [Test]
    public async Task Reconnect_WithInitialResourceVersions_SendsOnlyWhatChanged()
    {
        var model = XdsModel.Basic().Set(Xds.StaticCluster("s")).Set(Xds.StaticCluster("gone"));
        var (client, responses) = await SyncedAsync(model);
        var held = Versions(responses[ResourceTypes.Cluster]);
        await client.DisposeAsync();
        await _server.Observer.WaitForClosedAsync(1).DefaultTimeout();

        _server.Publish(2, model.Set(Xds.EdsCluster("a", connectTimeoutMs: 300)).RemoveCluster("gone"));
        await using var again = _server.Delta();
        await again.SubscribeAsync(ResourceTypes.Cluster, [], held);

        var cds = await again.ReadAndAckAsync();
        cds.Resources.Select(r => r.Name).Should().Equal(["a"], "s is unchanged and the client already holds it");
        cds.RemovedResources.Should().Equal("gone");
    }

    [Test]
    public async Task Reconnect_NothingChanged_AnswersWithAnEmptyResponse()
    {
        var model = XdsModel.Basic();
        var (client, responses) = await SyncedAsync(model);
        var held = Versions(responses[ResourceTypes.Cluster]);
        await client.DisposeAsync();

        await using var again = _server.Delta();
        await again.SubscribeAsync(ResourceTypes.Cluster, [], held);

        var cds = await again.ReadAndAckAsync();
        cds.Resources.Should().BeEmpty();
        cds.RemovedResources.Should().BeEmpty();
    }

    [Test]
    public async Task Unsubscribe_StopsUpdatesForThatName()
    {
        // "b" is endpoints no cluster uses: a node that still held an EDS cluster would still need them.
        var model = XdsModel.Basic().Set(Xds.Assignment("b", 8002));
        var (client, _) = await SyncedAsync(model, eds: ["a", "b"]);
        await using var _ = client;

        _server.Publish(2, model.Set(Xds.Assignment("a", 8200)).Set(Xds.Assignment("b", 8201)));
        var eds2 = await client.ReadAsync();
        eds2.Resources.Select(r => r.Name).Should().Equal("a", "b");
        await client.SendAsync(new DeltaDiscoveryRequest { TypeUrl = ResourceTypes.Endpoint, ResponseNonce = eds2.Nonce, ResourceNamesUnsubscribe = { "b" } });
        (await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 2, TimeSpan.FromSeconds(10), CancellationToken.None).DefaultTimeout())
            .Succeeded.Should().BeTrue();

        _server.Publish(3, model.Set(Xds.Assignment("a", 8300)).Set(Xds.Assignment("b", 8301)));

        var eds3 = await client.ReadAndAckAsync();
        eds3.Resources.Select(r => r.Name).Should().Equal("a");
        eds3.RemovedResources.Should().BeEmpty();
    }
}
