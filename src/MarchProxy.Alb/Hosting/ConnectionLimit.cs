using MarchProxy.Alb.Api;
using MarchProxy.Alb.Configuration;
using Microsoft.AspNetCore.Connections;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Caps the open connections of one endpoint: a connection beyond the cap is closed at once, before
/// TLS or HTTP, and logged (at most one line per <see cref="UndecodableRequests.Interval"/>).
/// </summary>
public sealed class ConnectionLimit(EndpointRole role, int max, TimeProvider timeProvider, ILogger logger)
{
    private readonly LogRateLimit _limit = new(timeProvider, UndecodableRequests.Interval);
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public async Task RunAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (Interlocked.Increment(ref _open) > max)
        {
            Interlocked.Decrement(ref _open);
            if (_limit.TryAcquire(out var suppressed))
            {
                HostingLog.ConnectionRefused(logger, role, max, connection.RemoteEndPoint?.ToString() ?? "unknown", suppressed);
            }

            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
