namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Polls the serving epoch's admin API (<c>/ready</c> each time, <c>/server_info</c> when the state
/// changes or the version is not known yet) and publishes the state, the version and admin reachability.
/// A process that is not LIVE <see cref="EnvoyOptions.StartTimeout"/> after it started is reported as
/// stalled (once, as a warning) until it becomes LIVE.
/// </summary>
internal sealed class EnvoyMonitor(SupervisorContext context)
{
    private DateTimeOffset _nextPollAt;
    private DateTimeOffset _startedAt;
    private string? _lastAdminState;
    private bool _warnedUnreachable;
    private bool _liveLogged;

    public bool IsPollDue => context.Clocks.Poll.GetUtcNow() >= _nextPollAt;

    public TimeSpan UntilNextPoll => _nextPollAt - context.Clocks.Poll.GetUtcNow();

    /// <summary>A new process: poll at once.</summary>
    public void OnStarted()
    {
        _nextPollAt = context.Clocks.Poll.GetUtcNow();
        _startedAt = context.Now;
        _lastAdminState = null;
        _warnedUnreachable = false;
        _liveLogged = false;
    }

    /// <summary>A hot-restarted epoch that is known to be LIVE.</summary>
    public void OnLive(EnvoyProcess process, EnvoyServerInfo? info)
    {
        _nextPollAt = context.Clocks.Poll.GetUtcNow() + context.Options.ReadinessPollInterval;
        _lastAdminState = "LIVE";
        _warnedUnreachable = false;
        _liveLogged = true;
        SupervisorLog.EnvoyLive(context.Logger, info?.SemanticVersion ?? context.Board.Current.EnvoyVersion, process.Epoch);
        context.Board.Update(s => s with
        {
            AdminState = "LIVE",
            AdminReachable = true,
            StartStalled = false,
            EnvoyVersion = info?.SemanticVersion ?? s.EnvoyVersion,
            EnvoyBuildVersion = info?.Version ?? s.EnvoyBuildVersion,
        });
    }

    /// <summary>One poll; true when the admin API reports LIVE (which ends a crash loop).</summary>
    public async Task<bool> PollAsync(EnvoyProcess process, bool inCrashLoop, CancellationToken cancellationToken)
    {
        _nextPollAt = context.Clocks.Poll.GetUtcNow() + context.Options.ReadinessPollInterval;
        EnvoyReadiness ready;
        EnvoyServerInfo? info = null;
        try
        {
            ready = await context.Admin.GetReadyAsync(cancellationToken).ConfigureAwait(false);
            if (ready.State != _lastAdminState || context.Board.Current.EnvoyVersion is null)
            {
                info = await context.Admin.GetServerInfoAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (SupervisorContext.IsAdminFailure(ex))
        {
            if (context.Board.Current.IsServing && !_warnedUnreachable)
            {
                _warnedUnreachable = true;
                SupervisorLog.EnvoyAdminUnreachable(context.Logger, ex.Message);
            }

            context.Board.Update(s => s with { AdminReachable = false });
            CheckStartStalled(process, "not answering");
            return false;
        }

        _warnedUnreachable = false;
        if (ready.State != _lastAdminState)
        {
            _lastAdminState = ready.State;
            SupervisorLog.EnvoyAdminState(context.Logger, ready.State);
        }

        var state = ready.IsLive ? EnvoyState.Live
            : ready.State == "DRAINING" ? EnvoyState.Draining
            : inCrashLoop ? EnvoyState.CrashLoop
            : EnvoyState.Starting;
        if (ready.IsLive && !_liveLogged)
        {
            _liveLogged = true;
            SupervisorLog.EnvoyLive(context.Logger, info?.SemanticVersion ?? context.Board.Current.EnvoyVersion, process.Epoch);
            if (inCrashLoop)
            {
                SupervisorLog.EnvoyCrashLoopRecovered(context.Logger);
            }
        }

        context.Board.Update(s => s with
        {
            State = state,
            IsServing = ready.IsLive,
            AdminReachable = true,
            AdminState = ready.State,
            StartStalled = s.StartStalled && !_liveLogged,
            EnvoyVersion = info?.SemanticVersion ?? s.EnvoyVersion,
            EnvoyBuildVersion = info?.Version ?? s.EnvoyBuildVersion,
        });
        if (!_liveLogged)
        {
            CheckStartStalled(process, ready.State);
        }

        return ready.IsLive;
    }

    /// <summary>Flags a process that has never been LIVE since it started, once it is past the start timeout.</summary>
    private void CheckStartStalled(EnvoyProcess process, string adminState)
    {
        var limit = context.Options.StartTimeout;
        if (_liveLogged || context.Board.Current.StartStalled || context.Now - _startedAt < limit)
        {
            return;
        }

        SupervisorLog.EnvoyStartStalled(context.Logger, process, limit, adminState);
        var error = $"Envoy {process} is not LIVE {limit} after it started (admin API: {adminState})";
        context.Board.Update(s => s with { StartStalled = true, LastError = error });
    }
}
