using Grpc.Health.V1;
using Grpc.HealthCheck;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Restores (or loads) and publishes the desired state before anything else starts, so the first
/// snapshot exists before ADS accepts a stream or Envoy is spawned; a failure stops the start.
/// Also sets grpc.health.v1 to SERVING once started (<see cref="ShutdownSequence"/> sets NOT_SERVING).
/// </summary>
public sealed class AlbStartup(
    ConfigStore store,
    HealthServiceImpl health,
    ListenEndpoints endpoints,
    IOptions<AlbOptions> options,
    ILogger<AlbStartup> logger) : IHostedLifecycleService
{
    private static readonly string[] Services = [string.Empty, ModuleService.Descriptor.FullName];

    public Task StartingAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var service in Services)
        {
            health.SetStatus(service, HealthCheckResponse.Types.ServingStatus.Serving);
        }

        if (string.IsNullOrEmpty(options.Value.ClusterApiKey))
        {
            HostingLog.ApiKeyDisabled(logger);
        }

        var api = endpoints.GetPort(EndpointRole.Api);
        var xds = endpoints.GetPort(EndpointRole.Xds);
        var healthPort = endpoints.GetPort(EndpointRole.Health);
        var metrics = endpoints.GetPort(EndpointRole.Metrics);
        HostingLog.Listening(logger, options.Value.ModuleId, api, xds, healthPort, metrics);

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
