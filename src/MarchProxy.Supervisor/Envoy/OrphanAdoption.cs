namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// At start-up, an Envoy may already answer on our admin port: the previous supervisor was killed
/// before it could stop it. It still serves with its last config, so it is not killed. It is adopted
/// by a hot restart into a child of ours (epoch = its epoch + 1, its base id, both read from
/// <c>/server_info</c>), which drains and terminates it. If that fails, it is stopped gracefully
/// (admin API, then signals through the pid file) and a fresh epoch 0 starts.
/// </summary>
internal sealed class OrphanAdoption(SupervisorContext context, HotRestarter hotRestarter, GracefulStopper stopper, EnvoyLauncher launcher)
{
    public async Task RunAsync(SupervisorLoop loop, CancellationToken cancellationToken)
    {
        EnvoyServerInfo info;
        try
        {
            info = await context.Admin.GetServerInfoAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SupervisorContext.IsAdminFailure(ex))
        {
            // Nobody answers: the normal case.
            loop.ScheduleStartNow();
            return;
        }

        var record = PidFile.Read(context.Options.DataDir);
        int? pid = record is { } known && PidFile.IsOurEnvoy(known.Pid, context.BootstrapPath) ? known.Pid : null;
        var epoch = info.RestartEpoch ?? record?.Epoch ?? 0;
        var baseId = info.BaseId ?? record?.BaseId ?? EnvoyCommandLine.BaseId(context.Options);
        SupervisorLog.OrphanFound(context.Logger, epoch, baseId, pid, info.Version, epoch + 1);

        var orphan = EnvoyProcess.Adopt(pid, epoch, baseId, context.Now);
        launcher.Watch(orphan);
        loop.AdoptServing(orphan);
        context.Board.Update(s => s with
        {
            State = EnvoyState.HotRestarting,
            IsServing = info.IsLive,
            Epoch = epoch,
            BaseId = baseId,
            ProcessId = pid,
            AdminReachable = true,
            AdminState = info.State,
            EnvoyVersion = info.SemanticVersion,
            EnvoyBuildVersion = info.Version,
        });

        var attempt = await hotRestarter.RunAsync(orphan, cancellationToken).ConfigureAwait(false);
        if (attempt.Child is { } child)
        {
            loop.Promote(orphan, child, attempt.Info);
            return;
        }

        SupervisorLog.OrphanAdoptionFailed(context.Logger, attempt.Result.Error ?? attempt.Result.Outcome.ToString());
        context.Board.Update(s => s with { State = EnvoyState.Draining, IsServing = false, LastError = attempt.Result.Error });
        if (pid is null && !await AdminAnswersAsync(cancellationToken).ConfigureAwait(false))
        {
            SupervisorLog.OrphanUnstoppable(context.Logger, baseId);
        }
        else
        {
            await stopper.StopAsync(orphan, cancellationToken).ConfigureAwait(false);
        }

        orphan.Dispose();
        loop.ScheduleStartNow();
    }

    private async Task<bool> AdminAnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await context.Admin.GetReadyAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (SupervisorContext.IsAdminFailure(ex))
        {
            return false;
        }
    }
}
