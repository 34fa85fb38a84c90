using Grpc.Health.V1;
using Grpc.HealthCheck;
using MarchProxy.Alb.Api;
using MarchProxy.Alb.Configuration;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Server;
using MarchProxy.Supervisor;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// The ALB's stop, as one explicit sequence that runs before the web server stops (the host calls every
/// <see cref="IHostedLifecycleService.StoppingAsync"/> before any StopAsync, whatever the registration
/// order):
/// <list type="number">
/// <item>grpc.health.v1 reports NOT_SERVING (and /readyz answers 503, see ReadinessProbe);</item>
/// <item>the supervised Envoy drains while ADS still serves it (<see cref="IEnvoySupervisor.StopAsync"/>);</item>
/// <item>every ADS stream ends with UNAVAILABLE and every WatchEvents stream with OK, and their final
/// status is sent (<see cref="InFlightRequests"/>, for up to half the servers' reserve);</item>
/// <item>Kestrel stops within <see cref="ShutdownBudget.ServersReserve"/>: it finishes what is in flight,
/// and a client that keeps an idle HTTP/2 connection open past that is cut off instead of holding the
/// stop until the budget runs out (the host's own server stop then finds it stopped);</item>
/// <item><see cref="StoppedAsync"/> logs the final line.</item>
/// </list>
/// The budget (<see cref="ShutdownBudget"/>) is checked at start: a drain that cannot fit is a settings error.
/// </summary>
public sealed class ShutdownSequence(
    IServer server,
    InFlightRequests inFlight,
    HealthServiceImpl health,
    IEnvoySupervisor supervisor,
    AdsShutdown adsStreams,
    ApiStreamShutdown apiStreams,
    ShutdownState state,
    IOptions<AlbOptions> albOptions,
    IOptions<EnvoyOptions> envoyOptions,
    TimeProvider timeProvider,
    ILogger<ShutdownSequence> logger) : IHostedLifecycleService
{
    private static readonly string[] HealthServices = [string.Empty, ModuleService.Descriptor.FullName];

    private long _stoppingAt;

    /// <summary>True from the first step of the stop on (<see cref="ShutdownState"/>).</summary>
    public bool IsStopping => state.IsStopping;

    /// <summary>False when a step overran its budget (Envoy was killed) or failed; the exit code says so.</summary>
    public bool IsClean { get; private set; } = true;

    public ShutdownBudget Budget => ShutdownBudget.From(albOptions.Value, envoyOptions.Value);

    /// <exception cref="AlbConfigurationException">The drain and its escalation do not fit in the budget.</exception>
    public Task StartingAsync(CancellationToken cancellationToken) =>
        Budget.Problem() is { } problem ? throw new AlbConfigurationException(problem) : Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (!state.TryBegin())
        {
            return;
        }

        _stoppingAt = timeProvider.GetTimestamp();
        var budget = Budget;
        HostingLog.Stopping(logger, budget.Drain, budget.Total);
        foreach (var service in HealthServices)
        {
            health.SetStatus(service, HealthCheckResponse.Types.ServingStatus.NotServing);
        }

        // ADS keeps serving while Envoy drains: Envoy still follows config changes during its drain.
        using var envoyPhase = new CancellationTokenSource(budget.EnvoyPhase, timeProvider);
        using var envoyToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, envoyPhase.Token);
        try
        {
            await supervisor.StopAsync(envoyToken.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            IsClean = false;
            HostingLog.ShutdownStepFailed(logger, "stopping Envoy", ex);
        }

        if (envoyToken.IsCancellationRequested)
        {
            IsClean = false;
            HostingLog.EnvoyStopOverran(logger, budget.EnvoyPhase);
        }

        adsStreams.CloseAllStreams();
        apiStreams.CloseAllStreams();
        HostingLog.StreamsClosed(logger);

        // The ended streams send their final status first; then Kestrel closes idle connections at once.
        using var serversPhase = new CancellationTokenSource(ShutdownBudget.ServersReserve, timeProvider);
        using var serversToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, serversPhase.Token);
        using var responsesDeadline = new CancellationTokenSource(ShutdownBudget.ServersReserve / 2, timeProvider);
        using var responsesToken = CancellationTokenSource.CreateLinkedTokenSource(serversToken.Token, responsesDeadline.Token);
        await inFlight.WaitForNoneAsync(responsesToken.Token);
        await server.StopAsync(serversToken.Token);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        var elapsed = _stoppingAt == 0 ? TimeSpan.Zero : timeProvider.GetElapsedTime(_stoppingAt);
        HostingLog.Stopped(logger, elapsed, IsClean);
        return Task.CompletedTask;
    }
}
