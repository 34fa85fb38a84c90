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
public sealed class HeldBackHostTests
{
    private TempDirectory _dir = null!;
    private AlbTestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = new TempDirectory();
        _host = await AlbTestHost.StartAsync(_dir, settings: new Dictionary<string, string?> { ["Alb:AckTimeout"] = "00:00:05" });
    }

    [TearDown]
    public async Task TearDown()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Test]
    public async Task UpsertRoute_NodeRejectsOneHost_OtherHostsChangesStillReachIt()
    {
        await _host.Client.UpsertClusterAsync(Requests.UpsertCluster("c")).ResponseAsync.DefaultTimeout();
        await _host.Client.UpsertRouteAsync(Routed("shop", "shop.example", "/")).ResponseAsync.DefaultTimeout();
        await using var node = await FakeXdsNode.ConnectAsync(_host.Address(EndpointRole.Xds), "envoy-held");
        await node.WaitForAsync(ResourceTypes.Route, 3);
        node.RejectDomain = "bad.example";

        var bad = Routed("bad", "bad.example", "/");
        bad.WaitForAck = true;
        var error = await _host.Client.UpsertRouteAsync(bad).ShouldFailWith(StatusCode.Aborted);
        error.Status.Detail.Should().Contain("envoy-held: " + FakeXdsNode.RouteNackError);
        var held = (await _host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout()).XdsNodes.Single();
        held.HeldBackVirtualHosts.Should().ContainSingle().Which.Should().Contain("[bad.example]").And.Contain("rejected at version 4");

        var other = Routed("shop-api", "shop.example", "/api");
        other.WaitForAck = true;
        var response = await _host.Client.UpsertRouteAsync(other).ResponseAsync.DefaultTimeout();

        response.Ack.Should().Be(new AckStatus { AckedNodes = 1, PendingNodes = 0 });
        var routes = await LastRoutesAsync(node, response.Version);
        routes.VirtualHosts.SelectMany(v => v.Domains).Should().NotContain("bad.example");
        routes.VirtualHosts.Single(v => v.Domains.Contains("shop.example")).Routes.Select(r => r.Match.Prefix).Should().Contain("/api");
        var status = (await _host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout()).XdsNodes.Single();
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
