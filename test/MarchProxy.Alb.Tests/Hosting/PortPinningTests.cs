using System.Net;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Hosting;

/// <summary>Each service answers on its own port only.</summary>
public sealed class PortPinningTests : AlbHostFixture
{

    [Test]
    public void Ports_AllRoles_AreBoundAndDistinct()
    {
        var ports = Enum.GetValues<EndpointRole>().Select(Host.Port).ToList();

        ports.Should().OnlyContain(p => p > 0);
        ports.Should().OnlyHaveUniqueItems();
    }

    [Test]
    public async Task ModuleService_OnTheXdsPort_IsNotServed()
    {
        var client = new ModuleService.ModuleServiceClient(Host.CreateChannel(EndpointRole.Xds));

        await client.GetStatusAsync(new StatusRequest()).ShouldFailWith(StatusCode.Unimplemented);
    }

    [Test]
    public async Task Ads_OnTheApiPort_IsNotServed()
    {
        var client = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(Host.CreateChannel(EndpointRole.Api));
        using var call = client.StreamAggregatedResources();

        await call.RequestStream.WriteAsync(new DiscoveryRequest { TypeUrl = MarchProxy.ControlPlane.Cache.ResourceTypes.Cluster }).DefaultTimeout();
        var act = () => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout();

        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unimplemented);
    }

    [Test]
    public async Task Ads_OnTheXdsPort_ServesTheCurrentSnapshot()
    {
        await using var node = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), "envoy-1");

        await node.WaitForAsync(MarchProxy.ControlPlane.Cache.ResourceTypes.Listener, 1);

        var status = await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        status.XdsNodes.Should().ContainSingle(n => n.NodeId == "envoy-1" && n.Connected);
    }

    [Test]
    public async Task Healthz_OnTheMetricsPort_IsNotFound()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(Host.Address(EndpointRole.Metrics), "/healthz")).DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
