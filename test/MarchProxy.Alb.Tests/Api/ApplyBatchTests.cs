using Grpc.Core;
using MarchProxy.Alb.Api;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.Alb.Tests.Api;

/// <summary>
/// ApplyBatch against the real ALB: one version for the whole batch, all or nothing, errors naming the
/// item and its field. The tests share one host and use their own names, so versions are relative.
/// </summary>
public sealed class ApplyBatchTests : SharedAlbHostFixture
{
    private ModuleService.ModuleServiceClient Client => Host.Client;

    [Test]
    public async Task ApplyBatch_MixedItems_AppliesThemAsOneVersionWithOneEvent()
    {
        using var cancel = new CancellationTokenSource();
        using var watch = await WatchInSyncAsync(cancel.Token);
        var before = await VersionAsync();
        var request = Batch(
            UpsertCluster("mix-blue"),
            UpsertCluster("mix-green"),
            UpsertRoute("mix-web", "mix-blue", "/mix/"),
            new BatchItem { SetTrafficWeight = new TrafficWeightRequest { RouteName = "mix-web", Weights = { Weight("mix-blue", 70), Weight("mix-green", 30) } } },
            new BatchItem { ApplyRateLimit = new RateLimitRequest { RouteName = "mix-web", Config = new RateLimitConfig { RequestsPerSecond = 10, BurstSize = 5, Enabled = true } } },
            UpsertRoute("mix-old", "mix-blue", "/mix-old/"),
            new BatchItem { DeleteRoute = new DeleteRequest { Name = "mix-old" } });

        var response = await Client.ApplyBatchAsync(request).ResponseAsync.DefaultTimeout();
        var single = await Client.UpsertClusterAsync(Requests.UpsertCluster("mix-after")).ResponseAsync.DefaultTimeout();

        response.Success.Should().BeTrue();
        response.Version.Should().Be(before + 1);
        response.Items.Should().Be(7);
        response.Unchanged.Should().BeFalse();
        response.Message.Should().StartWith("batch of 7 items (");
        var routes = await Client.GetRoutesAsync(new RoutesRequest { ClusterId = "mix-green" }).ResponseAsync.DefaultTimeout();
        var web = routes.Routes.Should().ContainSingle().Which;
        web.Name.Should().Be("mix-web");
        web.Weights.Should().Equal(Weight("mix-blue", 70), Weight("mix-green", 30));
        web.RateLimit.Should().Be(new RateLimitConfig { RequestsPerSecond = 10, BurstSize = 5, Enabled = true });
        (await Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Select(r => r.Name).Should().NotContain("mix-old");
        (await NextAsync(watch, cancel.Token)).ConfigApplied.Should().Be(new ConfigApplied { Version = response.Version, Rpc = "ApplyBatch" });
        (await NextAsync(watch, cancel.Token)).ConfigApplied.Should().Be(new ConfigApplied { Version = single.Version, Rpc = "UpsertCluster" }, "a batch is announced once");
        single.Version.Should().Be(response.Version + 1);
    }

    [Test]
    public async Task ApplyBatch_LaterItemUsesEarlierOnes_RouteWithItsNewClusterAndDeleteThenUpsert()
    {
        var request = Batch(
            UpsertCluster("seq-c"),
            UpsertRoute("seq-r", "seq-c", "/seq/"),
            new BatchItem { DeleteRoute = new DeleteRequest { Name = "seq-r" } },
            UpsertRoute("seq-r", "seq-c", "/seq-again/"));

        var response = await Client.ApplyBatchAsync(request).ResponseAsync.DefaultTimeout();

        response.Success.Should().BeTrue();
        var routes = await Client.GetRoutesAsync(new RoutesRequest { ClusterId = "seq-c" }).ResponseAsync.DefaultTimeout();
        routes.Routes.Should().ContainSingle().Which.Prefix.Should().Be("/seq-again/");
    }

    [Test]
    public async Task ApplyBatch_RouteBeforeItsCluster_InvalidOnTheRoutesClusterAndNothingChanged()
    {
        var before = await VersionAsync();

        var error = await Client.ApplyBatchAsync(Batch(UpsertRoute("early-r", "early-c", "/early/"), UpsertCluster("early-c")))
            .ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("items[0].upsert_route.route.cluster_name");
        await ShouldBeUntouchedAsync(before, "early-c");
    }

    [Test]
    public async Task ApplyBatch_InvalidItems_NamesEveryItemIndexAndFieldAndChangesNothing()
    {
        var before = await VersionAsync();
        var badWeight = new BatchItem { SetTrafficWeight = new TrafficWeightRequest { RouteName = "bad-r", Weights = { Weight("bad-c", 5000) } } };
        var badPort = UpsertCluster("bad-port");
        badPort.UpsertCluster.Cluster.Endpoints[0].Port = 70000;

        var error = await Client.ApplyBatchAsync(Batch(UpsertCluster("bad-c"), UpsertRoute("bad-r", "bad-c", "/bad/"), badWeight, badPort))
            .ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal(
            "items[2].set_traffic_weight.weights[0].weight",
            "items[2].set_traffic_weight.weights",
            "items[3].upsert_cluster.cluster.endpoints[0].port");
        error.Status.Detail.Should().Contain("items[2].set_traffic_weight.weights[0].weight");
        await ShouldBeUntouchedAsync(before, "bad-c");
    }

    [Test]
    public async Task ApplyBatch_EnvoyRulesRefuseTheResultingState_NamesTheItemThatSetTheField()
    {
        var before = await VersionAsync();
        var regex = new BatchItem { UpsertRoute = new UpsertRouteRequest { Route = new RouteConfig { Name = "envoy-r", Regex = "a{1001}", ClusterName = "envoy-c", Enabled = true } } };

        var error = await Client.ApplyBatchAsync(Batch(UpsertCluster("envoy-c"), regex)).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("items[1].upsert_route.route.regex");
        await ShouldBeUntouchedAsync(before, "envoy-c");
    }

    [Test]
    public async Task ApplyBatch_DeleteOfMissingRoute_NotFoundNamingTheItemAndNothingChanged()
    {
        var before = await VersionAsync();

        var error = await Client.ApplyBatchAsync(Batch(UpsertCluster("nf-c"), new BatchItem { DeleteRoute = new DeleteRequest { Name = "nf-missing" } }))
            .ShouldFailWith(StatusCode.NotFound);

        error.Status.Detail.Should().Be("items[1].delete_route: route 'nf-missing' does not exist");
        await ShouldBeUntouchedAsync(before, "nf-c");
    }

    [Test]
    public async Task ApplyBatch_DeleteOfClusterARouteStillUses_FailedPrecondition()
    {
        var error = await Client.ApplyBatchAsync(Batch(
                UpsertCluster("fp-c"),
                UpsertRoute("fp-r", "fp-c", "/fp/"),
                new BatchItem { DeleteCluster = new DeleteRequest { Name = "fp-c" } }))
            .ShouldFailWith(StatusCode.FailedPrecondition);

        error.Status.Detail.Should().StartWith("items[2].delete_cluster: cluster 'fp-c' is still used by route(s) fp-r");
    }

    [Test]
    public async Task ApplyBatch_OptionSetOnAnItem_InvalidOnThatItemsField()
    {
        var item = UpsertCluster("opt-c");
        item.UpsertCluster.WaitForAck = true;

        var error = await Client.ApplyBatchAsync(Batch(item)).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("items[0].upsert_cluster.wait_for_ack");
    }

    [Test]
    public async Task ApplyBatch_ValidateOnly_AnswersTheSummaryAndTheCheckedVersionAndChangesNothing()
    {
        var before = await VersionAsync();
        var request = Batch(UpsertCluster("dry-c"), UpsertRoute("dry-r", "dry-c", "/dry/"));
        request.ValidateOnly = true;

        var response = await Client.ApplyBatchAsync(request).ResponseAsync.DefaultTimeout();

        response.Success.Should().BeTrue();
        response.Version.Should().Be(before);
        response.CheckedAgainstVersion.Should().Be(before);
        response.Message.Should().Be($"validate_only: batch of 2 items (upsert_cluster 1, upsert_route 1): cluster 'dry-c' created; route 'dry-r' created; checked against version {before}, nothing changed");
        await ShouldBeUntouchedAsync(before, "dry-c");
    }

    [Test]
    public async Task ApplyBatch_SameBatchTwice_SecondIsUnchangedAtTheSameVersion()
    {
        var request = Batch(UpsertCluster("same-c"), UpsertRoute("same-r", "same-c", "/same/"));
        var first = await Client.ApplyBatchAsync(request).ResponseAsync.DefaultTimeout();

        var second = await Client.ApplyBatchAsync(request).ResponseAsync.DefaultTimeout();

        first.Unchanged.Should().BeFalse();
        second.Unchanged.Should().BeTrue();
        second.Version.Should().Be(first.Version);
        (await VersionAsync()).Should().Be(first.Version);
    }

    [Test]
    public async Task ApplyBatch_Empty_IsUnchanged()
    {
        var before = await VersionAsync();

        var response = await Client.ApplyBatchAsync(new BatchRequest()).ResponseAsync.DefaultTimeout();

        response.Unchanged.Should().BeTrue();
        response.Version.Should().Be(before);
    }

    [Test]
    public async Task ApplyBatch_MoreItemsThanTheCap_InvalidOnItemsAndNothingChanged()
    {
        var before = await VersionAsync();
        var request = new BatchRequest();
        request.Items.Add(UpsertCluster("cap-c"));
        request.Items.AddRange(Enumerable.Range(0, BatchMutation.MaxItems).Select(i => new BatchItem { DeleteRoute = new DeleteRequest { Name = $"cap-{i}" } }));

        var error = await Client.ApplyBatchAsync(request).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("items");
        error.Status.Detail.Should().Contain("at most 10,000 items (has 10,001)");
        await ShouldBeUntouchedAsync(before, "cap-c");
    }

    [Test]
    public async Task ApplyBatch_WaitForAck_AnswersAfterTheConnectedNodeAckedTheBatchsVersion()
    {
        using var dir = new TempDirectory();
        await using var host = await AlbTestHost.StartAsync(dir);
        await using var node = await FakeXdsNode.ConnectAsync(host.Address(EndpointRole.Xds), "envoy-batch");
        await node.WaitForAsync(ResourceTypes.Cluster, 1);
        await node.WaitForAsync(ResourceTypes.Listener, 1);
        var request = Batch(UpsertCluster("ack-c"), UpsertRoute("ack-r", "ack-c", "/ack/"));
        request.WaitForAck = true;

        var response = await host.Client.ApplyBatchAsync(request).ResponseAsync.DefaultTimeout();

        response.Ack.Should().Be(new AckStatus { AckedNodes = 1, PendingNodes = 0 });
        var status = await host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        long.Parse(status.XdsNodes.Single().AckedVersions[ResourceTypes.Cluster], System.Globalization.CultureInfo.InvariantCulture).Should().Be(response.Version);
    }

    internal static BatchRequest Batch(params BatchItem[] items) => new() { Items = { items } };

    internal static BatchItem UpsertCluster(string name) => new() { UpsertCluster = Requests.UpsertCluster(name) };

    internal static BatchItem UpsertRoute(string name, string cluster, string prefix) => new() { UpsertRoute = Requests.UpsertRoute(name, cluster, prefix) };

    private static TrafficWeight Weight(string backend, int weight) => new() { BackendName = backend, Weight = weight };

    private async Task<long> VersionAsync() => (await Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout()).ConfigVersion;

    private async Task ShouldBeUntouchedAsync(long version, string cluster)
    {
        (await VersionAsync()).Should().Be(version);
        var clusters = await Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout();
        clusters.Clusters.Select(c => c.Name).Should().NotContain(cluster, "a refused batch changes nothing");
    }

    /// <summary>Watches with include_current and reads the prelude, so the server has subscribed.</summary>
    private async Task<AsyncServerStreamingCall<ConfigEvent>> WatchInSyncAsync(CancellationToken cancellationToken)
    {
        var call = Client.WatchEvents(new WatchEventsRequest { IncludeCurrent = true }, cancellationToken: cancellationToken);
        while ((await NextAsync(call, cancellationToken)).EventCase != ConfigEvent.EventOneofCase.Envoy)
        {
        }

        return call;
    }

    private static async Task<ConfigEvent> NextAsync(AsyncServerStreamingCall<ConfigEvent> call, CancellationToken cancellationToken)
    {
        (await call.ResponseStream.MoveNext(cancellationToken).DefaultTimeout()).Should().BeTrue();
        return call.ResponseStream.Current;
    }
}
