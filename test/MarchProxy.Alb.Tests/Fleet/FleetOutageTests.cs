using System.Text.RegularExpressions;
using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Fleet;

[NonParallelizable]
public sealed class FleetOutageTests
{
    [Test]
    public async Task EtcdStopped_ServingContinuesMutationsUnavailableARestartServesTheLocalCopy_ThenAllConvergeWithNoRemovalInBetween()
    {
        await using var fleet = await FleetHosts.StartAsync(hosts: 2);
        await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();
        var before = await fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("web", "web")).ResponseAsync.DefaultTimeout();
        await fleet.WaitForVersionAsync(before.Version);
        await using var envoy1 = await XdsRecorder.ConnectAsync(fleet[0].Address(EndpointRole.Xds), "envoy-of-alb-1");
        await envoy1.WaitForRouteAsync("web");

        fleet.Etcd.Members[0].Kill();

        var refused = await fleet[1].Client.UpsertRouteAsync(Requests.UpsertRoute("late", "web")).ShouldFailWith(StatusCode.Unavailable);
        refused.Status.Detail.Should().Contain("etcd");
        await Poll.UntilAsync(
            async () => (await fleet[0].Client.GetStatusAsync(new StatusRequest())).Fleet.StoreConnected == false,
            "ALB-1 to report etcd as disconnected");
        var status = await fleet[0].Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        status.Fleet.StoreError.Should().NotBeEmpty();
        using var http = new HttpClient();
        (await http.GetStringAsync(new Uri(fleet[0].Address(EndpointRole.Health), "/readyz"))).Should().Contain("\"stateStoreConnected\":false");
        await Poll.UntilAsync(
            async () => Regex.IsMatch(await http.GetStringAsync(new Uri(fleet[0].Address(EndpointRole.Metrics), "/metrics")), @"marchproxy_state_store_connected(\{[^}]*\})? 0"),
            "the store metric to show etcd as disconnected");
        status.ConfigVersion.Should().Be(before.Version);
        (await fleet[1].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Select(r => r.Name).Should().Equal("web");

        await fleet.StopHostAsync(1);
        var restarted = await fleet.StartHostAsync(1);
        var local = await restarted.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        local.Version.Should().Be(before.Version, "the restarted ALB serves its local copy while etcd is down");
        local.Routes.Select(r => r.Name).Should().Equal("web");
        await using var envoy2 = await XdsRecorder.ConnectAsync(restarted.Address(EndpointRole.Xds), "envoy-of-alb-2");
        await envoy2.WaitForRouteAsync("web");

        fleet.Etcd.Members[0].Start();
        await fleet.Etcd.WaitHealthyAsync();
        MutationResponse? after = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    after = await fleet[1].Client.UpsertRouteAsync(Requests.UpsertRoute("late", "web"));
                    return true;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                {
                    return false;
                }
            },
            "a mutation to succeed once etcd is back");
        after!.Version.Should().BeGreaterThan(before.Version);
        await fleet.WaitForVersionAsync(after.Version);
        (await fleet[0].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Select(r => r.Name).Should().BeEquivalentTo("web", "late");
        (await fleet[0].Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout()).Fleet.StoreConnected.Should().BeTrue();

        // Every response each Envoy received, from before the outage to after the recovery, kept what
        // exists before and after: the route and its cluster were never withdrawn in between.
        foreach (var envoy in new[] { envoy1, envoy2 })
        {
            await envoy.WaitForRouteAsync("late");
            envoy.Clusters.Should().NotBeEmpty().And.OnlyContain(names => names.Contains("web"), $"{envoy.NodeId} never lost the cluster");
            envoy.Routes.Should().NotBeEmpty().And.OnlyContain(names => names.Contains("web"), $"{envoy.NodeId} never lost the route");
        }
    }

    [Test]
    public async Task LeaderStopped_MutationsContinueAfterReElection_NothingIsLost()
    {
        await using var fleet = await FleetHosts.StartAsync(hosts: 2, etcdMembers: 3);
        var web = await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();
        // An ALB validates a mutation against the state its watch has delivered: the route below goes
        // through both ALBs, so both must have seen the cluster first.
        await fleet.WaitForVersionAsync(web.Version);
        var acknowledged = new List<(string Name, long Version)>();
        for (var i = 0; i < 3; i++)
        {
            var reply = await fleet[i % 2].Client.UpsertRouteAsync(Requests.UpsertRoute($"before-{i}", "web", $"/b{i}/")).ResponseAsync.DefaultTimeout();
            acknowledged.Add(($"before-{i}", reply.Version));
        }

        var leader = await fleet.Etcd.LeaderAsync();
        leader.Kill();

        for (var i = 0; i < 3; i++)
        {
            var name = $"after-{i}";
            MutationResponse? reply = null;
            await Poll.UntilAsync(
                async () =>
                {
                    try
                    {
                        reply = await fleet[i % 2].Client.UpsertRouteAsync(Requests.UpsertRoute(name, "web", $"/a{i}/"));
                        return true;
                    }
                    catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                    {
                        return false;
                    }
                },
                $"{name} to be accepted after the leader {leader.Name} stopped",
                TimeSpan.FromSeconds(30));
            acknowledged.Add((name, reply!.Version));
        }

        acknowledged.Select(a => a.Version).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        await fleet.WaitForVersionAsync(acknowledged[^1].Version);
        for (var i = 0; i < fleet.Count; i++)
        {
            var routes = await fleet[i].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
            routes.Routes.Select(r => r.Name).Should().BeEquivalentTo(acknowledged.Select(a => a.Name));
        }

        var keys = await fleet.Etcd.GetPrefixAsync(fleet.Prefix + "routes/");
        keys.Keys.Should().BeEquivalentTo(acknowledged.Select(a => fleet.Prefix + "routes/" + a.Name));
    }

    [Test]
    public async Task Compaction_PastAnAlbsRevision_ItReReadsThePrefixAndConverges()
    {
        // ALB-2 talks to one etcd follower only; stopping that member leaves ALB-2 behind while the
        // other two members keep a quorum (and their leader) for ALB-1's changes.
        await using var fleet = await FleetHosts.StartAsync(hosts: 2, etcdMembers: 3);
        var leader = await fleet.Etcd.LeaderAsync();
        var isolated = fleet.Etcd.Members.First(m => m != leader);
        await fleet.StopHostAsync(1);
        await fleet.StartHostAsync(1, isolated.ClientUrl);

        // ALB-1 talks to the leader only: with every endpoint listed, the etcd client may first pick
        // the member about to be stopped, which the leader-stop test covers on its own.
        await fleet.StopHostAsync(0);
        await fleet.StartHostAsync(0, leader.ClientUrl);
        await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();
        var first = await fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("first", "web", "/first/")).ResponseAsync.DefaultTimeout();
        await fleet.WaitForVersionAsync(first.Version);

        isolated.Kill();
        await fleet[0].Client.DeleteRouteAsync(new DeleteRequest { Name = "first" }).ResponseAsync.DefaultTimeout();
        var last = await fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("second", "web", "/second/")).ResponseAsync.DefaultTimeout();
        await fleet.Etcd.CompactAsync(await fleet.Etcd.RevisionAsync());
        isolated.Start();

        await fleet.WaitForVersionAsync(last.Version);
        var routes = await fleet[1].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        routes.Routes.Select(r => r.Name).Should().Equal("second");
        routes.Version.Should().Be(last.Version);
    }
}
