using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.State;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.DependencyInjection;

namespace MarchProxy.Alb.Tests.Api;

/// <summary>A request that asks for what is already there: success with the current version, nothing persisted or pushed.</summary>
public sealed class UnchangedMutationTests : AlbHostFixture
{

    private string StateFile => Path.Combine(Host.DataDir, FileStatePersistence.FileName);

    [SetUp]
    public async Task SetUp()
    {
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("blue")).ResponseAsync.DefaultTimeout();
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("green", port: 8082)).ResponseAsync.DefaultTimeout();
        await Host.Client.UpsertRouteAsync(Requests.UpsertRoute("web", "blue")).ResponseAsync.DefaultTimeout();
    }

    [Test]
    public async Task UpsertRoute_Identical_UnchangedCurrentVersionNothingPersistedOrPushed()
    {
        var (file, snapshot) = (await File.ReadAllBytesAsync(StateFile), Served());

        var response = await Host.Client.UpsertRouteAsync(Requests.UpsertRoute("web", "blue")).ResponseAsync.DefaultTimeout();

        response.Success.Should().BeTrue();
        response.Unchanged.Should().BeTrue();
        response.Version.Should().Be(4);
        (await File.ReadAllBytesAsync(StateFile)).Should().Equal(file, "nothing was persisted (not even a new saved-at time)");
        Served().Should().BeSameAs(snapshot, "nothing was pushed");
    }

    [Test]
    public async Task SetTrafficWeight_SameWeightsTwice_SecondIsUnchanged()
    {
        var request = new TrafficWeightRequest
        {
            RouteName = "web",
            Weights = { new TrafficWeight { BackendName = "blue", Weight = 90 }, new TrafficWeight { BackendName = "green", Weight = 10 } },
        };
        var first = await Host.Client.SetTrafficWeightAsync(request).ResponseAsync.DefaultTimeout();
        var snapshot = Served();

        var second = await Host.Client.SetTrafficWeightAsync(request).ResponseAsync.DefaultTimeout();

        first.Unchanged.Should().BeFalse();
        first.Version.Should().Be(5);
        second.Unchanged.Should().BeTrue();
        second.Version.Should().Be(5);
        second.AppliedWeights.Select(w => $"{w.BackendName}={w.Weight}").Should().Equal("blue=90", "green=10");
        Served().Should().BeSameAs(snapshot);
    }

    [Test]
    public async Task ApplyRateLimit_SameLimitTwice_SecondIsUnchanged()
    {
        var request = new RateLimitRequest { RouteName = "web", Config = new RateLimitConfig { RequestsPerSecond = 100, BurstSize = 10, Enabled = true } };
        await Host.Client.ApplyRateLimitAsync(request).ResponseAsync.DefaultTimeout();

        var again = await Host.Client.ApplyRateLimitAsync(request).ResponseAsync.DefaultTimeout();

        again.Unchanged.Should().BeTrue();
        again.Version.Should().Be(5);
    }

    [Test]
    public async Task UpsertCluster_Changed_AppliesTheNextVersion()
    {
        var response = await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("blue", port: 9000)).ResponseAsync.DefaultTimeout();

        response.Unchanged.Should().BeFalse();
        response.Version.Should().Be(5);
    }

    [Test]
    public async Task UpsertRoute_IdenticalWithWaitForAck_WaitsForTheCurrentVersionsAcks()
    {
        await using var node = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), "envoy-unchanged");
        // The server knows the node once it has answered it; only then is there an ACK to wait for.
        await node.WaitForAsync(ResourceTypes.Cluster, 1);
        var request = Requests.UpsertRoute("web", "blue");
        request.WaitForAck = true;

        var response = await Host.Client.UpsertRouteAsync(request).ResponseAsync.DefaultTimeout();

        response.Unchanged.Should().BeTrue();
        response.Version.Should().Be(4);
        response.Ack.Should().NotBeNull();
        response.Ack.AckedNodes.Should().Be(1);
        response.Ack.PendingNodes.Should().Be(0);
    }

    [Test]
    public async Task UpsertCluster_ValidateOnly_SaysWhichVersionItWasCheckedAgainst()
    {
        var request = Requests.UpsertCluster("red");
        request.ValidateOnly = true;

        var response = await Host.Client.UpsertClusterAsync(request).ResponseAsync.DefaultTimeout();

        response.Success.Should().BeTrue();
        response.CheckedAgainstVersion.Should().Be(4);
        response.Version.Should().Be(4, "a dry run never answers a version that was not applied");
        (await Host.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.Select(c => c.Name).Should().NotContain("red");
    }

    private Snapshot? Served() => Host.Services.GetRequiredService<ISnapshotCache>().GetSnapshot(NodeKind.Envoy);
}
