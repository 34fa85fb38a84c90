using Grpc.Core;
using MarchProxy.Alb.State;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace MarchProxy.Alb.Tests.Fleet;

/// <summary>How the etcd store behaves at the edges: the seeding race, a failed endpoint, a lost answer, a failed publish. One etcd serves every test, each under its own prefix.</summary>
[NonParallelizable]
public sealed class FleetStoreTests
{
    private const string SeedConfig = """
        { "Proxy": { "Clusters": { "seeded": { "Destinations": { "d1": { "Address": "10.0.9.1:8080" } } } },
          "Routes": { "seeded": { "ClusterId": "seeded", "Match": { "Path": "/seeded/" } } } } }
        """;

    private EtcdCluster _etcd = null!;

    [OneTimeSetUp]
    public async Task StartEtcd() => _etcd = await FleetHosts.StartEtcdAsync();

    [OneTimeTearDown]
    public async Task StopEtcd()
    {
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }

    [Test]
    public async Task Seed_ThreeAlbsStartTogetherOnAnEmptyPrefix_ExactlyOneSeedsAndAllServeItsVersion()
    {
        await using var fleet = FleetHosts.On(_etcd, hosts: 3, config: SeedConfig);
        await Task.WhenAll(Enumerable.Range(0, fleet.Count).Select(i => fleet.StartHostAsync(i)));

        var entries = (await _etcd.GetEntriesAsync(fleet.Prefix)).Where(e => !e.Key.StartsWith(fleet.Prefix + "members/", StringComparison.Ordinal)).ToList();
        entries.Select(e => e.Key).Should().BeEquivalentTo(fleet.Prefix + "meta", fleet.Prefix + "clusters/seeded", fleet.Prefix + "routes/seeded");
        var seeded = entries.Single(e => e.Key.EndsWith("meta", StringComparison.Ordinal));
        seeded.Value.Should().Contain("\"operation\":\"Seed\"");
        entries.Should().OnlyContain(e => e.Version == 1 && e.ModRevision == seeded.ModRevision, "one transaction wrote every key, once");
        for (var i = 0; i < fleet.Count; i++)
        {
            var routes = await fleet[i].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
            routes.Version.Should().Be(seeded.ModRevision, $"{FleetHosts.ModuleId(i)} serves the one seed");
            routes.Routes.Select(r => r.Name).Should().Equal("seeded");
        }
    }

    [Test]
    public async Task Endpoints_ADeadOneFirstAndTheConnectedOneFailing_MutationsGoToTheNextAtTheFirstAttempt()
    {
        await using var relay = new TcpRelay(_etcd.Members[0].ClientPort);
        await using var fleet = FleetHosts.On(_etcd, hosts: 1);
        var dead = $"http://127.0.0.1:{FreePorts.Get()}";
        await fleet.StartHostAsync(0, endpoints: $"{dead},{relay.Url},{_etcd.Members[0].ClientUrl}");
        var cluster = await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();

        relay.Cut();
        var route = await fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("web", "web")).ResponseAsync.DefaultTimeout();
        var other = await fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("api", "web", "/api/")).ResponseAsync.DefaultTimeout();

        new[] { cluster.Version, route.Version, other.Version }.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        (await _etcd.GetEntriesAsync(fleet.Prefix + "routes/")).Select(e => e.Key).Should().BeEquivalentTo(fleet.Prefix + "routes/web", fleet.Prefix + "routes/api");
        await fleet.WaitForVersionAsync(other.Version);
    }

    [Test]
    public async Task Commit_TheAnswerIsLostAfterEtcdAppliedIt_AnswersTheCommittedVersionOnce()
    {
        await using var relay = new TcpRelay(_etcd.Members[0].ClientPort);
        await using var fleet = FleetHosts.On(_etcd, hosts: 1);
        // A long request deadline: the relay, not a timeout, decides when the answer is lost.
        await fleet.StartHostAsync(0, endpoints: $"{relay.Url},{_etcd.Members[0].ClientUrl}", extra: new Dictionary<string, string?> { ["Etcd:RequestTimeout"] = "00:00:30" });
        await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();

        relay.HoldReplies();
        var pending = fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("web", "web")).ResponseAsync;
        await Poll.UntilAsync(
            async () => (await _etcd.GetEntriesAsync(fleet.Prefix + "routes/")).Any(),
            "etcd to apply the route whose answer the relay holds back");
        relay.Cut();
        var reply = await pending.DefaultTimeout();

        var route = (await _etcd.GetEntriesAsync(fleet.Prefix + "routes/")).Single();
        reply.Version.Should().Be(route.ModRevision, "the answer is the revision etcd applied it at");
        route.Version.Should().Be(1, "it was written once");
        (await _etcd.GetEntriesAsync(fleet.Prefix + "meta")).Single().ModRevision.Should().Be(reply.Version, "no change came after it");
        await fleet.WaitForVersionAsync(reply.Version);
        (await fleet[0].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Select(r => r.Name).Should().Equal("web");
    }

    [Test]
    public async Task Commit_PublishFailsAfterEtcdCommitted_TheAnswerSaysSoAndTheWatchBringsTheAlbToIt()
    {
        var failures = new PublishFailures();
        await using var fleet = FleetHosts.On(_etcd, hosts: 2);
        await fleet.StartHostAsync(0, services: s => s.Decorate<IStatePublisher>(inner => new FailingPublisher(inner, failures)));
        await fleet.StartHostAsync(1);
        await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();

        failures.FailNext();
        var failed = await fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("web", "web")).ShouldFailWith(StatusCode.Internal);
        failed.Status.Detail.Should().Contain("etcd already holds the change");

        var committed = (await _etcd.GetEntriesAsync(fleet.Prefix + "routes/")).Single().ModRevision;
        await fleet.WaitForVersionAsync(committed);
        for (var i = 0; i < fleet.Count; i++)
        {
            var routes = await fleet[i].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
            routes.Version.Should().Be(committed);
            routes.Routes.Select(r => r.Name).Should().Equal("web");
        }
    }

    private sealed class PublishFailures
    {
        private int _armed;

        public void FailNext() => Volatile.Write(ref _armed, 1);

        public bool Take() => Interlocked.Exchange(ref _armed, 0) == 1;
    }

    private sealed class FailingPublisher(IStatePublisher inner, PublishFailures failures) : IStatePublisher
    {
        public PublishResult DryRun(DesiredState state) => inner.DryRun(state);

        public PublishResult Publish(DesiredState state) =>
            failures.Take() ? PublishResult.Failed(state.Version, ["the snapshot cache refused it (test)"]) : inner.Publish(state);
    }
}
