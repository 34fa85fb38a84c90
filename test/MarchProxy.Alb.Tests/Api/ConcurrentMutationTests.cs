using System.Collections.Concurrent;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Api;

public sealed class ConcurrentMutationTests : AlbHostFixture
{
    private const int Tasks = 16;
    private const int Mutations = 1000;
    private const int Routes = 50;

    [Test]
    public async Task UpsertRoute_1000From16Tasks_VersionsAreContiguousAndTheLastWriteWins()
    {
        var start = (await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("backend")).ResponseAsync.DefaultTimeout()).Version;
        var results = new ConcurrentBag<(long Version, string Route, int Timeout)>();
        var next = -1;

        var workers = Enumerable.Range(0, Tasks).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Mutations)
            {
                var route = Requests.Route($"r{i % Routes}", "backend", $"/r{i % Routes}/");
                route.TimeoutSeconds = i + 1;
                var response = await Host.Client.UpsertRouteAsync(new UpsertRouteRequest { Route = route });
                results.Add((response.Version, route.Name, route.TimeoutSeconds));
            }
        }));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(120));

        results.Select(r => r.Version).Order().Should().Equal(Enumerable.Range(1, Mutations).Select(k => start + k));
        var expected = results.GroupBy(r => r.Route).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Version).Timeout);
        var final = await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        final.Version.Should().Be(start + Mutations);
        final.Routes.ToDictionary(r => r.Name, r => r.TimeoutSeconds).Should().Equal(expected);
    }
}
