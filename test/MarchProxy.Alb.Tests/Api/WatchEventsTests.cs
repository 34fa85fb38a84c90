using Grpc.Core;
using MarchProxy.Alb.Api.Events;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;
using Microsoft.Extensions.DependencyInjection;

namespace MarchProxy.Alb.Tests.Api;

/// <summary>The WatchEvents stream against the in-process host, with in-test xDS nodes.</summary>
public sealed class WatchEventsTests : AlbHostFixture
{
    private CancellationTokenSource _cancel = null!;

    private ConfigEventHub Hub => Host.Services.GetRequiredService<ConfigEventHub>();

    [SetUp]
    public void SetUp() => _cancel = new CancellationTokenSource();

    [TearDown]
    public async Task TearDown()
    {
        await _cancel.CancelAsync();
        _cancel.Dispose();
    }

    [Test]
    public async Task WatchEvents_IncludeCurrent_StartsWithTheCurrentVersionThenEnvoyAbsent()
    {
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("c")).ResponseAsync.DefaultTimeout();
        using var call = Watch(Host.Client, includeCurrent: true);

        var first = await NextAsync(call);
        var second = await NextAsync(call);

        first.ConfigApplied.Should().Be(new ConfigApplied { Version = 2, Rpc = ConfigEventHub.CurrentRpc });
        first.Timestamp.Should().BePositive();
        second.Envoy.Should().Be(new EnvoyStateChanged { State = "absent" });
    }

    [Test]
    public async Task WatchEvents_UpsertRoute_ProducesConfigAppliedWithTheNewVersionAndRpc()
    {
        using var call = await WatchInSyncAsync();
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("c")).ResponseAsync.DefaultTimeout();

        var response = await Host.Client.UpsertRouteAsync(Requests.UpsertRoute("r", "c")).ResponseAsync.DefaultTimeout();

        (await NextAsync(call)).ConfigApplied.Should().Be(new ConfigApplied { Version = response.Version - 1, Rpc = "UpsertCluster" });
        (await NextAsync(call)).ConfigApplied.Should().Be(new ConfigApplied { Version = response.Version, Rpc = "UpsertRoute" });
    }

    [Test]
    public async Task WatchEvents_NodeConnectsAcksAndNacks_ProducesNodeEvents()
    {
        using var call = await WatchInSyncAsync();

        var node = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), "envoy-watch");
        await using (node)
        {
            var connected = await NextNodeEventAsync(call, "connected");
            connected.Should().Be(new XdsNodeEvent { NodeId = "envoy-watch", Kind = "envoy", Event = "connected" });
            var acked = await NextNodeEventAsync(call, "acked", ResourceTypes.Cluster);
            acked.NodeId.Should().Be("envoy-watch");
            acked.Version.Should().StartWith("1");

            node.Behavior = AckBehavior.Nack;
            var response = await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("c")).ResponseAsync.DefaultTimeout();

            var nacked = await NextNodeEventAsync(call, "nacked", ResourceTypes.Cluster);
            nacked.NodeId.Should().Be("envoy-watch");
            nacked.Error.Should().Contain(FakeXdsNode.NackError);
            nacked.Version.Should().StartWith(response.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var disconnected = await NextNodeEventAsync(call, "disconnected");
        disconnected.NodeId.Should().Be("envoy-watch");
    }

    [Test]
    public async Task WatchEvents_ClientCancels_ReleasesTheSubscriber()
    {
        using var call = await WatchInSyncAsync();
        Hub.SubscriberCount.Should().Be(1);

        await _cancel.CancelAsync();

        // The server sees the cancellation on its own thread, with nothing for the client to await.
        await Poll.UntilAsync(() => Hub.SubscriberCount == 0, "the watcher's release");
    }

    [Test]
    public void WatchEvents_SlowWatcher_KeepsTheNewestEventsAndNeverBlocksMutations()
    {
        using var subscription = Hub.Subscribe(includeCurrent: false);
        const int Published = ConfigEventHub.Capacity + 44;

        for (var version = 1; version <= Published; version++)
        {
            Hub.ConfigApplied(version, "Test");
        }

        var versions = new List<long>();
        while (subscription.Reader.TryRead(out var configEvent))
        {
            versions.Add(configEvent.ConfigApplied.Version);
        }

        versions.Should().Equal(Enumerable.Range(45, ConfigEventHub.Capacity).Select(v => (long)v));
    }

    [Test]
    public async Task WatchEvents_ApiKeyRequired_NoKeyUnauthenticatedRightKeyStreams()
    {
        using var securedDir = new TempDirectory();
        await using var secured = await AlbTestHost.StartAsync(
            securedDir, settings: new Dictionary<string, string?> { ["Alb:ClusterApiKey"] = "k3y" });

        using var denied = Watch(secured.Client, includeCurrent: true);
        var act = () => denied.ResponseStream.MoveNext(_cancel.Token).DefaultTimeout();
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unauthenticated);

        using var allowed = Watch(secured.CreateClient("k3y"), includeCurrent: true);
        (await NextAsync(allowed)).ConfigApplied.Rpc.Should().Be(ConfigEventHub.CurrentRpc);
    }

    private AsyncServerStreamingCall<ConfigEvent> Watch(ModuleService.ModuleServiceClient client, bool includeCurrent) =>
        client.WatchEvents(new WatchEventsRequest { IncludeCurrent = includeCurrent }, cancellationToken: _cancel.Token);

    /// <summary>Watches with include_current and reads the prelude, so the server has subscribed.</summary>
    private async Task<AsyncServerStreamingCall<ConfigEvent>> WatchInSyncAsync()
    {
        var call = Watch(Host.Client, includeCurrent: true);
        while ((await NextAsync(call)).EventCase != ConfigEvent.EventOneofCase.Envoy)
        {
        }

        return call;
    }

    private static async Task<ConfigEvent> NextAsync(AsyncServerStreamingCall<ConfigEvent> call)
    {
        (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout()).Should().BeTrue("the stream should stay open");
        return call.ResponseStream.Current;
    }

    /// <summary>Reads until a node event of <paramref name="kind"/> (and type), skipping the others.</summary>
    private static async Task<XdsNodeEvent> NextNodeEventAsync(AsyncServerStreamingCall<ConfigEvent> call, string kind, string? typeUrl = null)
    {
        for (var i = 0; i < ConfigEventHub.Capacity; i++)
        {
            var configEvent = await NextAsync(call);
            if (configEvent.Node is { } node && node.Event == kind && (typeUrl is null || node.TypeUrl == typeUrl))
            {
                return node;
            }
        }

        throw new AssertionException($"no '{kind}' node event");
    }
}
