namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Stops Envoy: POST /healthcheck/fail, POST /drain_listeners?graceful, poll server.total_connections
/// until 0 or the drain deadline, POST /quitquitquit, then SIGTERM, then SIGKILL, each after a
/// bounded wait. Every wait is on the supervisor's clock.
/// </summary>
internal sealed class GracefulStopper(SupervisorContext context)
{
    public const string TotalConnections = "server.total_connections";
    private const int MaxAdminFailuresWhileDraining = 3;

    /// <summary>
    /// The whole sequence; true when the connections reached zero (or Envoy exited by itself while
    /// draining). The drain deadline (<see cref="EnvoyOptions.DrainTimeout"/>) covers the two admin calls
    /// and the polling, so a hung admin API cannot stretch the stop beyond
    /// DrainTimeout + <see cref="EnvoyOptions.StopEscalationBudget"/>.
    /// </summary>
    public async Task<bool> StopAsync(EnvoyProcess process, CancellationToken cancellationToken)
    {
        var drainTimeout = context.Options.DrainTimeout;
        SupervisorLog.GracefulStopStarting(context.Logger, process, drainTimeout);
        var drained = false;
        if (!process.HasExited)
        {
            var progress = new DrainProgress();
            using var deadline = new CancellationTokenSource(drainTimeout, context.Clocks.Lifecycle);
            using var draining = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                await TryAdminAsync("POST /healthcheck/fail", ct => context.Admin.HealthcheckFailAsync(ct), draining.Token).ConfigureAwait(false);
                await TryAdminAsync("POST /drain_listeners?graceful", ct => context.Admin.DrainListenersAsync(graceful: true, ct), draining.Token).ConfigureAwait(false);
                drained = await WaitForConnectionsAsync(process, progress, draining.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                SupervisorLog.DrainTimedOut(context.Logger, drainTimeout, progress.Connections);
            }

            if (!process.HasExited)
            {
                await TryAdminAsync("POST /quitquitquit", ct => context.Admin.QuitAsync(ct), cancellationToken).ConfigureAwait(false);
            }
        }

        await EscalateAsync(process, "POST /quitquitquit", cancellationToken).ConfigureAwait(false);
        var exitCode = process.HasExited ? await process.Exited.ConfigureAwait(false) : null;
        SupervisorLog.EnvoyStopped(context.Logger, process, exitCode, drained);
        return drained;
    }

    /// <summary>SIGTERM (Envoy exits at once, without draining), then SIGKILL if it is still there.</summary>
    public async Task TerminateAsync(EnvoyProcess process, CancellationToken cancellationToken)
    {
        if (process.HasExited || process.Pid is null)
        {
            return;
        }

        process.Signal(PosixSignals.SigTerm);
        await EscalateAsync(process, "SIGTERM", cancellationToken, termSent: true).ConfigureAwait(false);
    }

    private async Task EscalateAsync(EnvoyProcess process, string previousStep, CancellationToken cancellationToken, bool termSent = false)
    {
        if (process.Pid is null)
        {
            // Adopted without a pid file: nothing to wait for or signal.
            return;
        }

        var grace = context.Options.StopGracePeriod;
        var time = context.Clocks.Lifecycle;
        if (await process.WaitForExitAsync(grace, time, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (!termSent)
        {
            SupervisorLog.StopEscalating(context.Logger, process, grace, previousStep, "SIGTERM");
            process.Signal(PosixSignals.SigTerm);
            if (await process.WaitForExitAsync(grace, time, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        SupervisorLog.StopEscalating(context.Logger, process, grace, "SIGTERM", "SIGKILL");
        process.Signal(PosixSignals.SigKill);
        if (!await process.WaitForExitAsync(grace, time, cancellationToken).ConfigureAwait(false))
        {
            SupervisorLog.EnvoyWouldNotExit(context.Logger, process);
        }
    }

    /// <summary>Polls until no connection is left; the caller's token carries the drain deadline.</summary>
    private async Task<bool> WaitForConnectionsAsync(EnvoyProcess process, DrainProgress progress, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!process.HasExited)
        {
            try
            {
                var stats = await context.Admin.GetStatsAsync("^server\\.total_connections$", cancellationToken).ConfigureAwait(false);
                var connections = stats.Get(TotalConnections) ?? throw new EnvoyAdminException($"/stats has no {TotalConnections}.");
                progress.Connections = connections;
                if (connections == 0)
                {
                    return true;
                }

                failures = 0;
                SupervisorLog.DrainProgress(context.Logger, connections);
            }
            catch (Exception ex) when (SupervisorContext.IsAdminFailure(ex))
            {
                if (++failures >= MaxAdminFailuresWhileDraining)
                {
                    SupervisorLog.GracefulStopStepFailed(context.Logger, $"polling {TotalConnections}", ex.Message);
                    return false;
                }
            }

            await context.PollDelayAsync(process, cancellationToken).ConfigureAwait(false);
        }

        // Envoy exited by itself while draining (newer versions do after drain_listeners?graceful).
        return true;
    }

    private async Task TryAdminAsync(string step, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SupervisorContext.IsAdminFailure(ex))
        {
            SupervisorLog.GracefulStopStepFailed(context.Logger, step, ex.Message);
        }
    }

    /// <summary>The last connection count seen, for the log line when the deadline passes.</summary>
    private sealed class DrainProgress
    {
        public long? Connections { get; set; }
    }
}
