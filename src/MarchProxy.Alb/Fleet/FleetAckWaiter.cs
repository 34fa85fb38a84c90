namespace MarchProxy.Alb.Fleet;

/// <summary>
/// Waits until every live member of the fleet reports (in its member key) that its xDS nodes ACKed a
/// version or a newer one, woken by the member view's changes, up to a timeout.
/// </summary>
public sealed class FleetAckWaiter(FleetView fleet, TimeProvider timeProvider)
{
    public async Task<FleetAckOutcome> WaitAsync(long version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, timeProvider);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        while (true)
        {
            var next = fleet.Changed.Next();
            var members = fleet.Members;
            var pending = members.Where(m => m.AckedVersion < version).ToList();
            if (pending.Count == 0)
            {
                return new FleetAckOutcome([.. members.Select(m => m.ModuleId)], [], TimedOut: false);
            }

            try
            {
                await next.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new FleetAckOutcome(
                    [.. members.Where(m => m.AckedVersion >= version).Select(m => m.ModuleId)],
                    [.. pending.Select(m => $"{m.ModuleId} (ACKed {m.AckedVersion}, serves {m.AppliedVersion})")],
                    TimedOut: true);
            }
        }
    }
}
