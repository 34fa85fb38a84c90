using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.State;

public sealed class PersistenceAcrossRestartTests
{
    [Test]
    public async Task Restart_SameDataDir_RestoresEveryPushedChangeAndContinuesTheVersions()
    {
        using var dir = new TempDirectory();
        RoutesResponse routesBefore;
        ClustersResponse clustersBefore;
        await using (var first = await AlbTestHost.StartAsync(dir))
        {
            await first.Client.UpsertClusterAsync(Requests.UpsertCluster("blue")).ResponseAsync.DefaultTimeout();
            await first.Client.UpsertClusterAsync(Requests.UpsertCluster("green", 9000)).ResponseAsync.DefaultTimeout();
            await first.Client.UpsertRouteAsync(Requests.UpsertRoute("web", "blue")).ResponseAsync.DefaultTimeout();
            await first.Client.SetTrafficWeightAsync(new TrafficWeightRequest
            {
                RouteName = "web",
                Weights = { new TrafficWeight { BackendName = "blue", Weight = 70 }, new TrafficWeight { BackendName = "green", Weight = 30 } },
            }).ResponseAsync.DefaultTimeout();
            await first.Client.ApplyRateLimitAsync(new RateLimitRequest
            {
                RouteName = "web",
                Config = new RateLimitConfig { RequestsPerSecond = 10, BurstSize = 5, Enabled = true },
            }).ResponseAsync.DefaultTimeout();
            routesBefore = await first.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
            clustersBefore = await first.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout();
        }

        await using var second = await AlbTestHost.StartAsync(dir, configJson: """{ "Proxy": { "Clusters": { "from-file": { "Destinations": { "d": { "Address": "10.9.9.9:80" } } } } } }""");

        var routesAfter = await second.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        var clustersAfter = await second.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout();
        routesAfter.Should().Be(routesBefore);
        clustersAfter.Should().Be(clustersBefore, "the persisted state wins over the standalone file at start");
        routesAfter.Version.Should().Be(6);
        var next = await second.Client.DeleteRouteAsync(new DeleteRequest { Name = "web" }).ResponseAsync.DefaultTimeout();
        next.Version.Should().Be(7);
    }

    [Test]
    public async Task Restart_AfterABatch_RestoresEveryItemAtTheBatchsVersion()
    {
        using var dir = new TempDirectory();
        BatchResponse batch;
        await using (var first = await AlbTestHost.StartAsync(dir))
        {
            batch = await first.Client.ApplyBatchAsync(new BatchRequest
            {
                Items =
                {
                    new BatchItem { UpsertCluster = Requests.UpsertCluster("blue") },
                    new BatchItem { UpsertRoute = Requests.UpsertRoute("web", "blue") },
                    new BatchItem { UpsertRoute = Requests.UpsertRoute("api", "blue", "/api/") },
                },
            }).ResponseAsync.DefaultTimeout();
        }

        await using var second = await AlbTestHost.StartAsync(dir);

        var routes = await second.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        routes.Version.Should().Be(batch.Version);
        routes.Routes.Select(r => r.Name).Should().BeEquivalentTo("web", "api");
        (await second.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.Select(c => c.Name).Should().Equal("blue");
    }

    [Test]
    public async Task Start_CorruptStateFile_RefusesToStart()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("data"));
        await File.WriteAllTextAsync(Path.Combine(dir.Combine("data"), MarchProxy.Alb.State.FileStatePersistence.FileName), "{ not json");
        var configFile = dir.Combine("alb.json");
        await File.WriteAllTextAsync(configFile, AlbTestHost.EmptyConfig);
        await using var app = AlbTestHost.Build(dir.Combine("data"), configFile);

        var act = () => app.StartAsync().DefaultTimeout();

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain(MarchProxy.Alb.State.FileStatePersistence.FileName);
    }
}
