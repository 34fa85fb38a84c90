using System.Collections.Concurrent;
using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.Alb.Tests.Fleet;

[NonParallelizable]
public sealed class FleetReplicationTests
{
    private const string SeedConfig = """
        { "Proxy": { "Clusters": { "seeded": { "Destinations": { "d1": { "Address": "10.0.9.1:8080" } } } } } }
        """;

    [Test]
    public async Task Mutation_ThroughAlb1_IsServedByAlb3sAdsAtTheSameVersionEverywhere()
    {
        await using var fleet = await FleetHosts.StartAsync(hosts: 3, config: SeedConfig);
        var seeded = (await fleet[0].Client.GetStatusAsync(new StatusRequest())).ConfigVersion;
        await fleet.WaitForVersionAsync(seeded);
        await using var envoy = await FakeXdsNode.ConnectAsync(fleet[2].Address(EndpointRole.Xds), "envoy-of-alb-3");

        var cluster = await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();
        await envoy.WaitForAsync(ResourceTypes.Cluster, cluster.Version);
        var route = await fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("web", "web")).ResponseAsync.DefaultTimeout();
        await fleet.WaitForVersionAsync(route.Version);
        for (var i = 0; i < fleet.Count; i++)
        {
            var routes = await fleet[i].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
            routes.Version.Should().Be(route.Version);
            routes.Routes.Select(r => r.Name).Should().Equal("web");
            var clusters = await fleet[i].Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout();
            clusters.Clusters.Select(c => c.Name).Should().BeEquivalentTo("seeded", "web");
        }

        var keys = await fleet.Etcd.GetPrefixAsync(fleet.Prefix);
        keys.Keys.Should().Contain([
            fleet.Prefix + "routes/web", fleet.Prefix + "clusters/web", fleet.Prefix + "clusters/seeded",
            fleet.Prefix + "api/routes/web", fleet.Prefix + "api/clusters/web", fleet.Prefix + "meta"]);
        keys[fleet.Prefix + "routes/web"].Should().Contain("\"cluster\": \"web\"");
        (await fleet.Etcd.RevisionAsync()).Should().BeGreaterThanOrEqualTo(route.Version);
        cluster.Version.Should().BeGreaterThan(seeded);
    }

    [Test]
    public async Task ConcurrentMutations_16ClientsThroughThreeAlbs_NoLostUpdateAndTheFinalStateFollowsEtcdsOrder()
    {
        const int clients = 16;
        const int perClient = 4;
        await using var fleet = await FleetHosts.StartAsync(hosts: 3);
        await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();
        var start = await fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("shared", "web")).ResponseAsync.DefaultTimeout();
        await fleet.WaitForVersionAsync(start.Version);
        var limits = new ConcurrentBag<(long Version, int Rate)>();
        var routes = new ConcurrentBag<(long Version, string Name)>();
        var aborted = 0;

        var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var client = fleet[c % fleet.Count].Client;
            var versions = new List<long>();
            for (var k = 0; k < perClient; k++)
            {
                var name = $"r{c}-{k}";
                var upsert = await RetryAbortedAsync(() => client.UpsertRouteAsync(Requests.UpsertRoute(name, "web", $"/{name}/")).ResponseAsync, () => Interlocked.Increment(ref aborted));
                routes.Add((upsert.Version, name));
                var rate = (c * 100) + k + 1;
                var limit = await RetryAbortedAsync(
                    () => client.ApplyRateLimitAsync(new RateLimitRequest { RouteName = "shared", Config = new RateLimitConfig { RequestsPerSecond = rate, Enabled = true } }).ResponseAsync,
                    () => Interlocked.Increment(ref aborted));
                limits.Add((limit.Version, rate));
                versions.Add(upsert.Version);
                versions.Add(limit.Version);
            }

            versions.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        }));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(90));

        var all = routes.Select(r => r.Version).Concat(limits.Select(l => l.Version)).ToList();
        all.Should().OnlyHaveUniqueItems("every applied change has its own etcd revision");
        all.Should().OnlyContain(v => v > start.Version);
        var last = all.Max();
        await fleet.WaitForVersionAsync(last);
        for (var i = 0; i < fleet.Count; i++)
        {
            var final = await fleet[i].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
            final.Version.Should().Be(last);
            final.Routes.Select(r => r.Name).Should().BeEquivalentTo(routes.Select(r => r.Name).Append("shared"), "no acknowledged change is lost");
            final.Routes.Single(r => r.Name == "shared").RateLimit.RequestsPerSecond.Should().Be(limits.MaxBy(l => l.Version).Rate, "the change etcd ordered last wins");
        }

        TestContext.Out.WriteLine($"{all.Count} mutations, {aborted} answered ABORTED and were retried");
    }

    private static async Task<T> RetryAbortedAsync<T>(Func<Task<T>> call, Action onAborted)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call().DefaultTimeout(TimeSpan.FromSeconds(30));
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Aborted && attempt < 5)
            {
                onAborted();
            }
        }
    }
}
