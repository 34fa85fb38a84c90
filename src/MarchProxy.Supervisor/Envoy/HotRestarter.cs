namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Starts epoch N+1 with the same base id beside epoch N and waits, within the reload grace period,
/// until the admin API (which the new epoch takes over at once, as real Envoy does) reports epoch N+1
/// LIVE on two polls in a row with the config accepted and no NACK since the start. On failure the new
/// epoch is terminated and nothing else changes. The old epoch is drained and terminated by the new
/// one itself (Envoy's hot-restart protocol), after <c>--parent-shutdown-time-s</c>.
/// </summary>
internal sealed class HotRestarter(SupervisorContext context, EnvoyLauncher launcher, GracefulStopper stopper)
{
    private const int LivePollsNeeded = 2;

    public async Task<HotRestartAttempt> RunAsync(EnvoyProcess parent, CancellationToken cancellationToken)
    {
        var from = parent.Epoch;
        var to = from + 1;
        var startedAt = context.Now;
        SupervisorLog.HotRestartStarting(context.Logger, from, to, parent.BaseId);

        var launch = await launcher.LaunchAsync(to, parent.BaseId, cancellationToken).ConfigureAwait(false);
        if (launch.Process is not { } child)
        {
            var outcome = launch.IsInvalidBootstrap ? HotRestartOutcome.ValidationFailed : HotRestartOutcome.ChildFailed;
            return Fail(from, to, outcome, launch.Error ?? "the new epoch could not be started");
        }

        var deadline = startedAt + context.Options.ReloadGracePeriod;
        var livePolls = 0;
        while (true)
        {
            if (child.HasExited)
            {
                return await RollBackAsync(child, from, to, HotRestartOutcome.ChildFailed,
                    $"epoch {to} exited with code {await child.Exited.ConfigureAwait(false)} before it was LIVE", cancellationToken).ConfigureAwait(false);
            }

            if (context.Acceptance.HasRejectedConfigSince(startedAt))
            {
                return await RollBackAsync(child, from, to, HotRestartOutcome.ChildFailed,
                    "an Envoy node NACKed its config during the hot restart", cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var info = await context.Admin.GetServerInfoAsync(cancellationToken).ConfigureAwait(false);
                livePolls = info.RestartEpoch == to && info.IsLive && context.Acceptance.HasAcceptedInitialConfig ? livePolls + 1 : 0;
                if (livePolls >= LivePollsNeeded)
                {
                    SupervisorLog.HotRestartSucceeded(context.Logger, from, to);
                    return new HotRestartAttempt(HotRestartResult.Success(from, to), child, info);
                }
            }
            catch (Exception ex) when (SupervisorContext.IsAdminFailure(ex))
            {
                // The admin port changes hands during a hot restart; keep polling until the deadline.
                livePolls = 0;
            }

            if (context.Now >= deadline)
            {
                return await RollBackAsync(child, from, to, HotRestartOutcome.TimedOut,
                    $"epoch {to} was not LIVE with its config accepted within {context.Options.ReloadGracePeriod}", cancellationToken).ConfigureAwait(false);
            }

            await context.PollDelayAsync(child, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HotRestartAttempt> RollBackAsync(
        EnvoyProcess child, int from, int to, HotRestartOutcome outcome, string error, CancellationToken cancellationToken)
    {
        await stopper.TerminateAsync(child, cancellationToken).ConfigureAwait(false);
        child.Dispose();
        return Fail(from, to, outcome, error);
    }

    private HotRestartAttempt Fail(int from, int to, HotRestartOutcome outcome, string error)
    {
        SupervisorLog.HotRestartFailed(context.Logger, from, to, outcome, error);
        return new HotRestartAttempt(HotRestartResult.Failure(outcome, from, error), null, null);
    }
}

/// <summary>The result of a hot restart and, on success, the new epoch's process and server info.</summary>
internal sealed record HotRestartAttempt(HotRestartResult Result, EnvoyProcess? Child, EnvoyServerInfo? Info);
