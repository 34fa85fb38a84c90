namespace MarchProxy.Alb.Fleet;

/// <summary>Stands in for a fleet service when the state store is the local file.</summary>
internal sealed class IdleHostedService : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
