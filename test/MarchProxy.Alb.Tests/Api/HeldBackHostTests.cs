using Envoy.Config.Route.V3;
using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.Alb.Tests.Api;

/// <summary>
/// A node that rejects the route configuration because of one virtual host still gets every other
/// host's changes; wait_for_ack and GetStatus say which host is held back.
/// </summary>
public sealed class HeldBackHostTests : AlbHostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Alb:AckTimeout"] = "00:00:05" };

    [Test]
    public async Task UpsertRoute_NodeRejectsOneHost_OtherHostsChangesStillReachIt()
    {
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("c")).ResponseAsync.DefaultTimeout();
        await Host.Client.UpsertRouteAsync(Routed("shop", "shop.example", "/")).ResponseAsync.DefaultTimeout();
        await using var node = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), "envoy-held");
        await node.WaitForAsync(ResourceTypes.Route, 3);
        node.RejectDomain = "bad.example";

        var bad = Routed("bad", "bad.example", "/");
        bad.WaitForAck = true;
        var error = await Host.Client.UpsertRouteAsync(bad).ShouldFailWith(StatusCode.Aborted);
        error.Status.Detail.Should().Contain("envoy-held: " + FakeXdsNode.RouteNackError);
        var held = (await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout()).XdsNodes.Single();
        held.HeldBackVirtualHosts.Should().ContainSingle().Which.Should().Contain("[bad.example]").And.Contain("rejected at version 4");

        var other = Routed("shop-api", "shop.example", "/api");
        other.WaitForAck = true;
        var response = await Host.Client.UpsertRouteAsync(other).ResponseAsync.DefaultTimeout();

        response.Ack.Should().Be(new AckStatus { AckedNodes = 1, PendingNodes = 0 });
        var routes = await LastRoutesAsync(node, response.Version);
        routes.VirtualHosts.SelectMany(v => v.Domains).Should().NotContain("bad.example");
        routes.VirtualHosts.Single(v => v.Domains.Contains("shop.example")).Routes.Select(r => r.Match.Prefix).Should().Contain("/api");
        var status = (await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout()).XdsNodes.Single();
        status.HeldBackVirtualHosts.Should().ContainSingle().Which.Should().Contain("[bad.example]");
    }

    private static UpsertRouteRequest Routed(string name, string domain, string prefix)
    {
        var request = Requests.UpsertRoute(name, "c", prefix);
        request.Route.Hosts.Add(domain);
        return request;
    }

    /// <summary>The route configuration of the first RDS response at <paramref name="version"/> or later.</summary>
    private static async Task<RouteConfiguration> LastRoutesAsync(FakeXdsNode node, long version)
    {
        while (true)
        {
            var response = await node.Received.ReadAsync().DefaultTimeout();
            if (response.TypeUrl == ResourceTypes.Route && long.Parse(response.VersionInfo.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture) >= version)
            {
                return response.Resources.Single().Unpack<RouteConfiguration>();
            }
        }
    }
}
