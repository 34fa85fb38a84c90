namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Publishes the zero series of <see cref="AlbMetrics"/> once every hosted service has started, so the
/// OpenTelemetry exporter (started by its own hosted service) is listening when they are recorded.
/// </summary>
public sealed class MetricsStartup(AlbMetrics metrics) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        metrics.StartAtZero();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
