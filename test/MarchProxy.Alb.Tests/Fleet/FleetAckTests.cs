using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Fleet;

[NonParallelizable]
public sealed class FleetAckTests
{
    [Test]
    public async Task FleetWaitForAck_EveryMembersNodeAcks_ReturnsWithEveryMember_AndNamesTheMemberBehindWhenOneDoesNot()
    {
        await using var fleet = await FleetHosts.StartAsync(hosts: 3);
        await using var envoy1 = await FakeXdsNode.ConnectAsync(fleet[0].Address(EndpointRole.Xds), "envoy-1");
        await using var envoy3 = await FakeXdsNode.ConnectAsync(fleet[2].Address(EndpointRole.Xds), "envoy-3");
        await Poll.UntilAsync(
            async () => (await fleet[1].Client.GetStatusAsync(new StatusRequest())).Fleet.Members.Count == 3,
            "three members in ALB-2's fleet status");

        var request = Requests.UpsertCluster("web");
        request.WaitForAck = true;
        request.AckScope = AckScope.Fleet;
        var acked = await fleet[1].Client.UpsertClusterAsync(request, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync.DefaultTimeout();
        acked.Ack.Fleet.AckedMembers.Should().Be(3);
        acked.Ack.Fleet.PendingMembers.Should().BeEmpty();
        var status = await fleet[2].Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        status.Fleet.Members.Select(m => m.ModuleId).Should().Equal("alb-1", "alb-2", "alb-3");
        status.Fleet.Members.Single(m => m.Self).ModuleId.Should().Be("alb-3");
        status.Fleet.Members.Should().OnlyContain(m => m.AckedVersion >= acked.Version);

        envoy3.Behavior = AckBehavior.Silent;
        var next = Requests.UpsertCluster("web", port: 9090);
        next.WaitForAck = true;
        next.AckScope = AckScope.Fleet;
        // No call deadline: the server's AckTimeout ends the wait, so the answer (and who is behind) always arrives.
        var behind = await fleet[0].Client.UpsertClusterAsync(next).ShouldFailWith(StatusCode.DeadlineExceeded);
        behind.Status.Detail.Should().Contain("alb-3").And.NotContain("alb-1 (").And.NotContain("alb-2 (");
    }

    [Test]
    public async Task GetStatus_FileStore_HasNoFleetSection()
    {
        using var directory = new TempDirectory();
        await using var host = await AlbTestHost.StartAsync(directory);
        var status = await host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        status.Fleet.Should().BeNull();
        status.Metadata.Should().NotContainKey("state_store");
    }
}
