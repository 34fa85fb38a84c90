using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Keeps the bridge's cache warm: one read of Envoy's stats every TTL, so /metrics and GetMetrics
/// always answer from memory (never waiting on Envoy), and requests per second always spans about
/// one TTL. Does nothing in control-plane-only mode beyond a timer tick.
/// </summary>
public sealed class EnvoyStatsPoller : BackgroundService
{
    private readonly EnvoyStatsBridge _bridge;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _period;

    public EnvoyStatsPoller(EnvoyStatsBridge bridge, IOptions<TelemetryOptions> options, TimeProvider timeProvider)
    {
        _bridge = bridge;
        _timeProvider = timeProvider;
        _period = options.Value.EnvoyStatsTtl;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_period, _timeProvider);
        try
        {
            do
            {
                await _bridge.GetAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }
}
