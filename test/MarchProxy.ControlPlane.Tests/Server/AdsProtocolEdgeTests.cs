using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Server;
using MarchProxy.ControlPlane.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MarchProxy.ControlPlane.Tests.Server;

/// <summary>The xDS protocol's corner cases, one test each, through real gRPC.</summary>
public sealed class AdsProtocolEdgeTests
{
    private AdsTestServer _server = null!;

    [SetUp]
    public async Task SetUp() => _server = await AdsTestServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    private static async Task<RpcException> EndOfAsync<T>(IAsyncStreamReader<T> responses)
    {
        var read = async () =>
        {
            while (await responses.MoveNext(CancellationToken.None).DefaultTimeout())
            {
            }
        };
        return (await read.Should().ThrowAsync<RpcException>()).Which;
    }

    [Test]
    public async Task Delta_WildcardAndAnExplicitName_UnsubscribingTheName_SendsItAgain()
    {
        _server.Publish(1, XdsModel.Basic());
        await using var client = _server.Delta();
        await client.SubscribeAsync(ResourceTypes.Cluster, []);
        (await client.ReadAndAckAsync()).Resources.Select(r => r.Name).Should().Equal("a");

        await client.SubscribeAsync(ResourceTypes.Cluster, ["a"]);
        (await client.ReadAndAckAsync()).Resources.Select(r => r.Name).Should().Equal(["a"], "a name subscribed again is sent again");
        await client.UnsubscribeAsync(ResourceTypes.Cluster, "a");

        var again = await client.ReadAndAckAsync();
        again.Resources.Select(r => r.Name).Should().Equal(["a"], "the client dropped a, and the wildcard still covers it");
        again.RemovedResources.Should().BeEmpty();
    }

    [Test]
    public async Task Delta_WildcardAndAnUnknownName_UnsubscribingTheName_ListsItAsRemoved()
    {
        _server.Publish(1, XdsModel.Basic());
        await using var client = _server.Delta();
        await client.SubscribeAsync(ResourceTypes.Cluster, []);
        await client.ReadAndAckAsync();
        await client.SubscribeAsync(ResourceTypes.Cluster, ["later"]);
        (await client.ReadAndAckAsync()).RemovedResources.Should().Equal("later");

        await client.UnsubscribeAsync(ResourceTypes.Cluster, "later");

        var response = await client.ReadAndAckAsync();
        response.Resources.Should().BeEmpty();
        response.RemovedResources.Should().Equal("later");
    }

    [Test]
    public async Task Delta_SubscribingAgainToAHeldName_SendsItAgain()
    {
        _server.Publish(1, XdsModel.Basic());
        await using var client = _server.Delta();
        await client.SubscribeAsync(ResourceTypes.Endpoint, ["a"]);
        var first = await client.ReadAndAckAsync();

        await client.SubscribeAsync(ResourceTypes.Endpoint, ["a"]);

        var again = await client.ReadAndAckAsync();
        again.Resources.Select(r => (r.Name, r.Version)).Should().Equal(first.Resources.Select(r => (r.Name, r.Version)));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task EmptyTypeUrl_FirstRequest_EndsTheStreamWithInvalidArgument(bool delta)
    {
        using var call = RawAdsCall.Start(_server.Channel, delta);
        var node = AdsTestServer.EnvoyNode();
        await call.RequestStream.WriteAsync(delta
            ? RawAdsCall.Bytes(new DeltaDiscoveryRequest { Node = node })
            : RawAdsCall.Bytes(new DiscoveryRequest { Node = node })).DefaultTimeout();

        var end = await EndOfAsync(call.ResponseStream);

        end.StatusCode.Should().Be(StatusCode.InvalidArgument);
        end.Status.Detail.Should().Contain("type_url");
    }

    [Test]
    public async Task EmptyTypeUrl_LaterRequest_EndsTheStreamWithInvalidArgument()
    {
        _server.Publish(1, XdsModel.Basic());
        await using var client = _server.Sotw();
        await client.SubscribeAsync(ResourceTypes.Cluster);
        await client.ReadAndAckAsync();

        await client.SendAsync(new DiscoveryRequest { ResourceNames = { "a" } });

        var end = await FluentActions.Awaiting(client.ReadAsync).Should().ThrowAsync<RpcException>();
        end.Which.StatusCode.Should().Be(StatusCode.InvalidArgument);
        end.Which.Status.Detail.Should().Contain("type_url");
        await _server.Observer.WaitForClosedAsync(1).DefaultTimeout();
        _server.Cache.OpenWatchCount.Should().Be(0);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task GarbageFirstFrame_EndsTheStreamWithInvalidArgument(bool delta)
    {
        using var call = RawAdsCall.Start(_server.Channel, delta);

        await call.RequestStream.WriteAsync(RawAdsCall.Garbage).DefaultTimeout();

        (await EndOfAsync(call.ResponseStream)).StatusCode.Should().Be(StatusCode.InvalidArgument);
        _server.Observer.Opened.Should().Be(0);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task GarbageLaterFrame_EndsTheStreamWithInvalidArgument(bool delta)
    {
        _server.Publish(1, XdsModel.Basic());
        using var call = RawAdsCall.Start(_server.Channel, delta);
        var node = AdsTestServer.EnvoyNode();
        await call.RequestStream.WriteAsync(delta
            ? RawAdsCall.Bytes(new DeltaDiscoveryRequest { Node = node, TypeUrl = ResourceTypes.Cluster })
            : RawAdsCall.Bytes(new DiscoveryRequest { Node = node, TypeUrl = ResourceTypes.Cluster })).DefaultTimeout();
        (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout()).Should().BeTrue();

        await call.RequestStream.WriteAsync(RawAdsCall.Garbage).DefaultTimeout();

        var end = await EndOfAsync(call.ResponseStream);
        end.StatusCode.Should().Be(StatusCode.InvalidArgument);
        end.Status.Detail.Should().Contain("not a valid");
        await _server.Observer.WaitForClosedAsync(1).DefaultTimeout();
    }

    [Test]
    public async Task Delta_EmptyTypeUrl_LaterRequest_EndsTheStreamWithInvalidArgument()
    {
        _server.Publish(1, XdsModel.Basic());
        await using var client = _server.Delta();
        await client.SubscribeAsync(ResourceTypes.Cluster, []);
        await client.ReadAndAckAsync();

        await client.SendAsync(new DeltaDiscoveryRequest { ResourceNamesSubscribe = { "a" } });

        var end = await FluentActions.Awaiting(client.ReadAsync).Should().ThrowAsync<RpcException>();
        end.Which.StatusCode.Should().Be(StatusCode.InvalidArgument);
        end.Which.Status.Detail.Should().Contain("type_url");
        await _server.Observer.WaitForClosedAsync(1).DefaultTimeout();
        _server.Cache.OpenWatchCount.Should().Be(0);
    }

    [Test]
    public async Task Delta_ClientCloses_IsLoggedAtInformationWithoutAStackTrace()
    {
        _server.Publish(1, XdsModel.Basic());
        var client = _server.Delta();
        await client.SubscribeAsync(ResourceTypes.Cluster, []);
        await client.ReadAndAckAsync();

        await client.DisposeAsync();

        await _server.Observer.WaitForClosedAsync(1).DefaultTimeout();
        // The stream's last line is written as its handler ends, which may be just after the observer hears of it.
        await Poll.UntilAsync(() => AdsRecords().Any(r => r.Id.Id == 1101), "the stream's closing line");
        var records = AdsRecords();
        records.Should().Contain(r => r.Id.Id == 1101 && r.Level == LogLevel.Information);
        records.Should().OnlyContain(r => r.Level <= LogLevel.Information && r.Exception == null);
    }

    [Test]
    public async Task ClientCloses_IsLoggedAtInformationWithoutAStackTrace()
    {
        _server.Publish(1, XdsModel.Basic());
        var client = _server.Sotw();
        await client.SyncAsync(["a"], ["r"]);

        await client.DisposeAsync();

        await _server.Observer.WaitForClosedAsync(1).DefaultTimeout();
        // The stream's last line is written as its handler ends, which may be just after the observer hears of it.
        await Poll.UntilAsync(() => AdsRecords().Any(r => r.Id.Id == 1101), "the stream's closing line");
        var records = AdsRecords();
        records.Should().Contain(r => r.Id.Id == 1101 && r.Level == LogLevel.Information);
        records.Should().OnlyContain(r => r.Level <= LogLevel.Information && r.Exception == null);
    }

    [Test]
    public async Task Delta_ListenerMovesToANewRouteConfiguration_TheOldOneIsNotRemovedByTheServer()
    {
        var model = XdsModel.Basic();
        _server.Publish(1, model);
        await using var client = _server.Delta();
        foreach (var (typeUrl, names) in new[] { (ResourceTypes.Cluster, Array.Empty<string>()), (ResourceTypes.Endpoint, ["a"]), (ResourceTypes.Listener, []), (ResourceTypes.Route, ["r"]) })
        {
            await client.SubscribeAsync(typeUrl, names);
            await client.ReadAndAckAsync();
        }

        _server.Publish(2, model.Set(Xds.Listener("l", "r2")).Set(Xds.Routes("r2", "a")).RemoveRoutes("r"));
        (await client.ReadAndAckAsync()).TypeUrl.Should().Be(ResourceTypes.Listener);

        // Like Envoy while the old listener drains: subscribed to both.
        await client.SubscribeAsync(ResourceTypes.Route, ["r2"]);
        var rds = await client.ReadAndAckAsync();
        rds.Resources.Select(r => r.Name).Should().Equal("r2");
        rds.RemovedResources.Should().BeEmpty("Envoy ignores RDS removals and logs an error");

        _server.Publish(3, model.Set(Xds.EdsCluster("a", connectTimeoutMs: 4000)));
        (await client.ReadAsync()).TypeUrl.Should().Be(ResourceTypes.Cluster, "no RDS removal was sent in between");
    }

    [Test]
    public async Task Delta_WildcardRouteSubscriber_GetsTheRemovalOnlyOnceNoListenerItHoldsUsesIt()
    {
        var model = XdsModel.Basic();
        _server.Publish(1, model);
        await using var client = _server.Delta();
        await client.SubscribeAsync(ResourceTypes.Listener, []);
        await client.ReadAndAckAsync();
        await client.SubscribeAsync(ResourceTypes.Route, ["*"]);
        await client.ReadAndAckAsync();

        _server.Publish(2, model.Set(Xds.Listener("l", "r2")).Set(Xds.Routes("r2", "a")).RemoveRoutes("r"));

        var lds = await client.ReadAsync();
        lds.TypeUrl.Should().Be(ResourceTypes.Listener);
        var rds = await client.ReadAndAckAsync();
        rds.Resources.Select(r => r.Name).Should().Equal("r2");
        rds.RemovedResources.Should().BeEmpty("the listener the client holds still uses r");
        await client.AckAsync(lds);
        var removal = await client.ReadAndAckAsync();
        removal.TypeUrl.Should().Be(ResourceTypes.Route);
        removal.RemovedResources.Should().Equal("r");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task OversizedNodeId_EndsTheStreamWithInvalidArgumentNamingTheField(bool delta)
    {
        var node = AdsTestServer.EnvoyNode(new string('n', NodeLimits.MaxIdBytes + 1));
        var end = await FirstRequestEndAsync(node, delta);

        end.StatusCode.Should().Be(StatusCode.InvalidArgument);
        end.Status.Detail.Should().Contain("node.id");
        _server.Ledger.GetNodes().Should().BeEmpty();
    }

    [Test]
    public async Task OversizedNodeMetadata_EndsTheStreamWithInvalidArgumentNamingTheField()
    {
        var node = AdsTestServer.EnvoyNode();
        node.Metadata = new Struct { Fields = { ["blob"] = Value.ForString(new string('m', 5000)) } };

        var end = await FirstRequestEndAsync(node, delta: false);

        end.StatusCode.Should().Be(StatusCode.InvalidArgument);
        end.Status.Detail.Should().Contain("node.metadata");
        _server.Ledger.GetNodes().Should().BeEmpty();
    }

    [Test]
    public async Task UnknownType_IsIgnoredAndTheStreamGoesOn()
    {
        _server.Publish(1, XdsModel.Basic());
        await using var client = _server.Sotw();
        await client.SubscribeAsync("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "cert");
        await client.SubscribeAsync(ResourceTypes.Cluster);

        (await client.ReadAsync()).TypeUrl.Should().Be(ResourceTypes.Cluster);
        _server.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 1107);
    }

    private async Task<RpcException> FirstRequestEndAsync(Node node, bool delta)
    {
        if (delta)
        {
            using var deltaCall = _server.Client.DeltaAggregatedResources();
            await deltaCall.RequestStream.WriteAsync(new DeltaDiscoveryRequest { Node = node, TypeUrl = ResourceTypes.Cluster }).DefaultTimeout();
            return await EndOfAsync(deltaCall.ResponseStream);
        }

        using var call = _server.Client.StreamAggregatedResources();
        await call.RequestStream.WriteAsync(new DiscoveryRequest { Node = node, TypeUrl = ResourceTypes.Cluster }).DefaultTimeout();
        return await EndOfAsync(call.ResponseStream);
    }

    private List<FakeLogRecord> AdsRecords() =>
        _server.Logs.GetSnapshot().Where(r => r.Category == typeof(AdsService).FullName).ToList();
}
