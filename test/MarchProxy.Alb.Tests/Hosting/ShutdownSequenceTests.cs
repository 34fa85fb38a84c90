using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Grpc.Health.V1;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Hosting;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Server;
using MarchProxy.Supervisor;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Tests.Hosting;

/// <summary>The host's stop, in process: the order of the sequence, its budget, and how the streams end.</summary>
public sealed class ShutdownSequenceTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task Stop_SupervisedEnvoy_NotServingThenEnvoyDrainsWhileAdsServesThenEveryStreamEnds()
    {
        var supervisor = new StubEnvoySupervisor { Status = new EnvoyStatus { State = EnvoyState.Live, IsSupervising = true, IsServing = true }, Ready = true };
        var host = await AlbTestHost.StartAsync(_dir, services: s => s.Replace(ServiceDescriptor.Singleton<IEnvoySupervisor>(supervisor)));
        await using var hostDisposal = host;
        using var http = new HttpClient { BaseAddress = host.Address(EndpointRole.Health) };
        var health = new Grpc.Health.V1.Health.HealthClient(host.CreateChannel(EndpointRole.Api));
        var adsShutdown = host.Services.GetRequiredService<AdsShutdown>();
        using var ads = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(host.CreateChannel(EndpointRole.Xds)).StreamAggregatedResources();
        await ads.RequestStream.WriteAsync(new DiscoveryRequest { Node = new Node { Id = "remote-envoy" }, TypeUrl = ResourceTypes.Cluster }).DefaultTimeout();
        (await ads.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout()).Should().BeTrue();
        var adsEnd = StreamEnd.OfAsync(ads.ResponseStream, whenResetAfterTheEnd: StatusCode.Unavailable);
        using var watch = host.Client.WatchEvents(new WatchEventsRequest { IncludeCurrent = true });
        (await watch.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout()).Should().BeTrue();
        var watchEnd = StreamEnd.OfAsync(watch.ResponseStream, whenResetAfterTheEnd: StatusCode.OK);
        HttpStatusCode? readyz = null;
        HealthCheckResponse.Types.ServingStatus? grpcHealth = null;
        bool? adsStillServing = null;
        supervisor.OnStop = async token =>
        {
            readyz = (await http.GetAsync(new Uri("/readyz", UriKind.Relative), token)).StatusCode;
            grpcHealth = (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: token)).Status;
            adsStillServing = !adsShutdown.IsClosing && !adsEnd.IsCompleted;
        };

        await host.App.StopAsync().DefaultTimeout();

        supervisor.Stops.Should().Be(1);
        readyz.Should().Be(HttpStatusCode.ServiceUnavailable, "readiness goes first");
        grpcHealth.Should().Be(HealthCheckResponse.Types.ServingStatus.NotServing);
        adsStillServing.Should().BeTrue("Envoy drains while ADS still serves it");
        (await adsEnd.DefaultTimeout()).Should().Be(StatusCode.Unavailable);
        (await watchEnd.DefaultTimeout()).Should().Be(StatusCode.OK);
        host.Services.GetRequiredService<ShutdownSequence>().IsClean.Should().BeTrue();
    }

    [Test]
    public async Task Stop_EnvoyOverrunsItsPhase_KilledNotCleanAndTheStreamsStillEnd()
    {
        var supervisor = new StubEnvoySupervisor { Status = new EnvoyStatus { State = EnvoyState.Live, IsSupervising = true, IsServing = true }, Ready = true };
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        supervisor.OnStop = async token =>
        {
            // An Envoy that never finishes draining: only the sequence's deadline ends the wait.
            await using var registration = token.Register(() => cut.TrySetResult());
            await cut.Task;
        };
        var host = await AlbTestHost.StartAsync(
            _dir,
            settings: new Dictionary<string, string?> { ["Alb:ShutdownTimeout"] = "00:00:03" },
            services: s => s.Replace(ServiceDescriptor.Singleton<IEnvoySupervisor>(supervisor)));
        await using var hostDisposal = host;
        using var watch = host.Client.WatchEvents(new WatchEventsRequest { IncludeCurrent = true });
        (await watch.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout()).Should().BeTrue();
        var watchEnd = StreamEnd.OfAsync(watch.ResponseStream, whenResetAfterTheEnd: StatusCode.OK);

        await host.App.StopAsync().DefaultTimeout();

        cut.Task.IsCompleted.Should().BeTrue("the Envoy phase has a deadline inside SHUTDOWN_TIMEOUT");
        host.Services.GetRequiredService<ShutdownSequence>().IsClean.Should().BeFalse();
        (await watchEnd.DefaultTimeout()).Should().Be(StatusCode.OK);
    }

    [Test]
    public async Task Start_DrainDoesNotFitTheBudget_FailsNamingBothSettingsBeforeBindingAPort()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Envoy:Enabled"] = "true",
            ["Envoy:BinaryPath"] = _dir.Combine("no-envoy-here"),
            ["Alb:ShutdownTimeout"] = "00:00:10",
            ["Envoy:DrainTimeout"] = "00:00:20",
        };
        await File.WriteAllTextAsync(_dir.Combine("alb.json"), AlbTestHost.EmptyConfig);
        await using var app = AlbTestHost.Build(_dir.Combine("data"), _dir.Combine("alb.json"), settings);

        var start = () => app.StartAsync().DefaultTimeout();

        var error = (await start.Should().ThrowAsync<AlbConfigurationException>()).Which;
        error.Message.Should().Contain("DRAIN_TIMEOUT (Envoy:DrainTimeout) 20s").And.Contain("SHUTDOWN_TIMEOUT (Alb:ShutdownTimeout) 10s");
        StartupErrors.IsConfigurationError(error).Should().BeTrue();
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Should().BeEmpty();
    }

    [Test]
    public async Task HostShutdownTimeout_IsShutdownTimeout()
    {
        await using var app = AlbTestHost.Build(_dir.Combine("data"), _dir.Combine("alb.json"), new Dictionary<string, string?> { ["Alb:ShutdownTimeout"] = "00:00:45" });

        app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout.Should().Be(TimeSpan.FromSeconds(45));
    }
}
