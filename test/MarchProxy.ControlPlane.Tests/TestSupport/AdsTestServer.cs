using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MarchProxy.ControlPlane.Tests.TestSupport;

/// <summary>
/// The ADS service in an in-process Kestrel on 127.0.0.1, port 0, HTTP/2 only (h2c prior knowledge),
/// with a recording observer; clients built on Grpc.Net.Client act as Envoy.
/// </summary>
internal sealed class AdsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdsTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address);
        Client = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(Channel);
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public AggregatedDiscoveryService.AggregatedDiscoveryServiceClient Client { get; }

    public SnapshotCache Cache => (SnapshotCache)_app.Services.GetRequiredService<ISnapshotCache>();

    public AckLedger Ledger => _app.Services.GetRequiredService<AckLedger>();

    public RecordingObserver Observer => (RecordingObserver)_app.Services.GetRequiredService<IControlPlaneObserver>();

    public AdsShutdown Shutdown => _app.Services.GetRequiredService<AdsShutdown>();

    public FakeLogCollector Logs => _app.Services.GetRequiredService<FakeLogCollector>();

    public static async Task<AdsTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFakeLogging();
        builder.Services.AddSingleton<IControlPlaneObserver, RecordingObserver>();
        builder.Services.AddMarchProxyControlPlane();
        var app = builder.Build();
        app.MapGrpcService<AdsService>();
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new AdsTestServer(app, new Uri(address));
    }

    public static Node EnvoyNode(string id = "envoy-1") => new() { Id = id, Cluster = "edge", UserAgentName = "envoy" };

    public static Node GrpcNode(string id = "grpc-1") => new()
    {
        Id = id,
        UserAgentName = "gRPC Node Pure JS",
        Locality = new Locality(),
        Metadata = new Struct(),
    };

    /// <summary>Builds and sets a snapshot for <paramref name="kind"/> from <paramref name="model"/>.</summary>
    public Snapshot Publish(long version, XdsModel model, NodeKind kind = NodeKind.Envoy)
    {
        var snapshot = Snapshot.Create(version, model.ToResources().ByType(), Cache.GetSnapshot(kind));
        Cache.SetSnapshot(kind, snapshot);
        return snapshot;
    }

    public SotwClient Sotw(Node? node = null) => new(Client.StreamAggregatedResources(), node ?? EnvoyNode());

    public DeltaClient Delta(Node? node = null) => new(Client.DeltaAggregatedResources(), node ?? EnvoyNode());

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }
}
