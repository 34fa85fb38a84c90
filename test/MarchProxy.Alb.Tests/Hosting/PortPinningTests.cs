using System.Net;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using MarchProxy.Alb.Hosting;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Hosting;

/// <summary>Each service answers on its own port only.</summary>
public sealed class PortPinningTests
{
    private TempDirectory _dir = null!;
    private AlbTestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = new TempDirectory();
        _host = await AlbTestHost.StartAsync(_dir);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Test]
    public void Ports_AllRoles_AreBoundAndDistinct()
    {
        var ports = Enum.GetValues<EndpointRole>().Select(_host.Port).ToList();

        ports.Should().OnlyContain(p => p > 0);
        ports.Should().OnlyHaveUniqueItems();
    }

    [Test]
    public async Task ModuleService_OnTheXdsPort_IsNotServed()
    {
        var client = new ModuleService.ModuleServiceClient(_host.CreateChannel(EndpointRole.Xds));

        await client.GetStatusAsync(new StatusRequest()).ShouldFailWith(StatusCode.Unimplemented);
    }

    [Test]
    public async Task Ads_OnTheApiPort_IsNotServed()
    {
        var client = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(_host.CreateChannel(EndpointRole.Api));
        using var call = client.StreamAggregatedResources();

        await call.RequestStream.WriteAsync(new DiscoveryRequest { TypeUrl = MarchProxy.ControlPlane.Cache.ResourceTypes.Cluster }).DefaultTimeout();
        var act = () => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout();

        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unimplemented);
    }

    [Test]
    public async Task Ads_OnTheXdsPort_ServesTheCurrentSnapshot()
    {
        await using var node = await FakeXdsNode.ConnectAsync(_host.Address(EndpointRole.Xds), "envoy-1");

        await node.WaitForAsync(MarchProxy.ControlPlane.Cache.ResourceTypes.Listener, 1);

        var status = await _host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        status.XdsNodes.Should().ContainSingle(n => n.NodeId == "envoy-1" && n.Connected);
    }

    [Test]
    public async Task Healthz_OnTheMetricsPort_IsNotFound()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(_host.Address(EndpointRole.Metrics), "/healthz")).DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
