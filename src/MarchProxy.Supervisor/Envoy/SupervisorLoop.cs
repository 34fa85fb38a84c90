using System.Threading.Channels;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// The supervisor's single owner task. It alone starts, polls, restarts, hot-restarts and stops Envoy,
/// so the lifecycle has no races: commands and process exits arrive through one bounded channel, and
/// multi-step operations (start, hot restart, graceful stop) run to completion, each bounded in time.
/// </summary>
internal sealed class SupervisorLoop
{
    private readonly SupervisorContext _context;
    private readonly ChannelReader<SupervisorCommand> _commands;
    private readonly EnvoyLauncher _launcher;
    private readonly GracefulStopper _stopper;
    private readonly HotRestarter _hotRestarter;
    private readonly RestartPolicy _policy;
    private readonly EnvoyMonitor _monitor;
    private readonly RetiringEpochs _retiring;
    private readonly long _configuredBaseId;

    private EnvoyProcess? _current;
    private DateTimeOffset? _restartDueAt;
    private bool _restartAfterCrash;
    private bool _inCrashLoop;

    public SupervisorLoop(SupervisorContext context, ChannelReader<SupervisorCommand> commands)
    {
        _context = context;
        _commands = commands;
        _launcher = new EnvoyLauncher(context);
        _stopper = new GracefulStopper(context);
        _hotRestarter = new HotRestarter(context, _launcher, _stopper);
        _policy = new RestartPolicy(context.Options);
        _monitor = new EnvoyMonitor(context);
        _retiring = new RetiringEpochs(context, _stopper);
        _configuredBaseId = EnvoyCommandLine.BaseId(context.Options);
    }

    private EnvoyOptions Options => _context.Options;

    private StatusBoard Board => _context.Board;

    public async Task RunAsync(CancellationToken force)
    {
        try
        {
            Board.Update(s => s with { State = EnvoyState.Starting, BaseId = _configuredBaseId });
            await new OrphanAdoption(_context, _hotRestarter, _stopper, _launcher).RunAsync(this, force).ConfigureAwait(false);
            while (true)
            {
                await WaitForWorkAsync(force).ConfigureAwait(false);
                while (_commands.TryRead(out var command))
                {
                    if (command is SupervisorCommand.Stop)
                    {
                        await StopEverythingAsync(force).ConfigureAwait(false);
                        return;
                    }

                    if (command is SupervisorCommand.HotRestart hotRestart)
                    {
                        hotRestart.Result.TrySetResult(await HotRestartAsync(force).ConfigureAwait(false));
                    }
                }

                await TickAsync(force).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (force.IsCancellationRequested)
        {
            SupervisorLog.StopForced(_context.Logger);
            KillEverything();
            Board.Update(s => s with { State = EnvoyState.Stopped, IsServing = false, ProcessId = null, NextRestartAt = null });
        }
    }

    /// <summary>SIGKILLs every process at once; used when the host stops waiting or the loop fails.</summary>
    public void KillEverything()
    {
        _current?.Signal(PosixSignals.SigKill);
        _retiring.KillAll();
    }

    /// <summary>Called by the adoption step: the orphan is now the serving epoch.</summary>
    internal void AdoptServing(EnvoyProcess process) => _current = process;

    /// <summary>Called by the adoption step: start a fresh epoch 0 now.</summary>
    internal void ScheduleStartNow()
    {
        _current = null;
        _restartDueAt = _context.Now;
    }

    internal void Promote(EnvoyProcess parent, EnvoyProcess child, EnvoyServerInfo? info)
    {
        _retiring.Add(parent);
        _current = child;
        WritePidFile(child);
        _monitor.OnLive(child, info);
        Board.Update(s => s with
        {
            State = EnvoyState.Live,
            IsServing = true,
            Epoch = child.Epoch,
            BaseId = child.BaseId,
            ProcessId = child.Pid,
            HotRestartCount = s.HotRestartCount + 1,
        });
    }

    private async Task<HotRestartResult> HotRestartAsync(CancellationToken force)
    {
        var status = Board.Current;
        if (_current is not { HasExited: false } parent || status.State != EnvoyState.Live)
        {
            return HotRestartResult.Failure(HotRestartOutcome.NotLive, status.Epoch, $"Envoy is {status.State}, not LIVE");
        }

        Board.Update(s => s with { State = EnvoyState.HotRestarting });
        var attempt = await _hotRestarter.RunAsync(parent, force).ConfigureAwait(false);
        if (attempt.Child is { } child)
        {
            Promote(parent, child, attempt.Info);
        }
        else
        {
            Board.Update(s => s with { State = EnvoyState.Live, LastError = attempt.Result.Error });
        }

        return attempt.Result;
    }

    private async Task TickAsync(CancellationToken force)
    {
        if (_current is { HasExited: true } exited)
        {
            await OnExitedAsync(exited).ConfigureAwait(false);
        }

        await _retiring.EnforceAsync().ConfigureAwait(false);
        if (_current is null && _restartDueAt is { } due && _context.Now >= due)
        {
            await StartAsync(force).ConfigureAwait(false);
        }

        if (_current is { HasExited: false } current && _monitor.IsPollDue)
        {
            if (await _monitor.PollAsync(current, _inCrashLoop, force).ConfigureAwait(false))
            {
                _inCrashLoop = false;
            }
        }
    }

    private async Task WaitForWorkAsync(CancellationToken force)
    {
        if (_commands.TryPeek(out _))
        {
            return;
        }

        var pollDelay = _current is null ? (TimeSpan?)null : _monitor.UntilNextPoll;
        var lifeDelay = Min(_current is null && _restartDueAt is { } due ? due - _context.Now : null, _retiring.UntilNextDeadline);
        if (pollDelay <= TimeSpan.Zero || lifeDelay <= TimeSpan.Zero)
        {
            return;
        }

        using var pollTimer = pollDelay is { } p ? new CancellationTokenSource(p, _context.Clocks.Poll) : null;
        using var lifeTimer = lifeDelay is { } l ? new CancellationTokenSource(l, _context.Clocks.Lifecycle) : null;
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(force, pollTimer?.Token ?? default, lifeTimer?.Token ?? default);
        try
        {
            await _commands.WaitToReadAsync(wake.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!force.IsCancellationRequested)
        {
            // A timer fired: time to poll, restart or enforce a deadline.
        }
    }

    private async Task StartAsync(CancellationToken force)
    {
        _restartDueAt = null;
        await _retiring.TerminateAllAsync(force).ConfigureAwait(false);
        var isRestart = _restartAfterCrash;
        _restartAfterCrash = false;
        Board.Update(s => s with
        {
            State = _inCrashLoop ? EnvoyState.CrashLoop : EnvoyState.Starting,
            NextRestartAt = null,
            Epoch = 0,
            BaseId = _configuredBaseId,
            RestartCount = isRestart ? s.RestartCount + 1 : s.RestartCount,
        });

        var launch = await _launcher.LaunchAsync(0, _configuredBaseId, force).ConfigureAwait(false);
        if (launch.Process is not { } process)
        {
            if (launch.IsInvalidBootstrap)
            {
                // Retried at the cap: a bootstrap that fails validation may pass once a referenced file appears.
                _restartDueAt = _context.Now + Options.RestartBackoffMax;
                Board.Update(s => s with { State = EnvoyState.Failed, LastError = launch.Error, NextRestartAt = _restartDueAt });
            }
            else
            {
                OnCrash(_context.Now, null, launch.Error);
            }

            return;
        }

        _current = process;
        WritePidFile(process);
        _monitor.OnStarted();
        Board.Update(s => s with { ProcessId = process.Pid, AdminReachable = false, AdminState = null, IsServing = false, StartStalled = false });
    }

    private async Task OnExitedAsync(EnvoyProcess process)
    {
        var exitCode = await process.Exited.ConfigureAwait(false);
        SupervisorLog.EnvoyExited(_context.Logger, process, exitCode, _context.Now - process.StartedAt);
        _current = null;
        process.Dispose();
        OnCrash(process.StartedAt, exitCode, $"Envoy {process} exited with code {exitCode}");
    }

    private void OnCrash(DateTimeOffset startedAt, int? exitCode, string? error)
    {
        var now = _context.Now;
        var decision = _policy.RecordCrash(startedAt, now);
        var entering = decision.IsCrashLoop && !_inCrashLoop;
        _inCrashLoop |= decision.IsCrashLoop;
        var delay = _inCrashLoop ? Options.RestartBackoffMax : decision.Delay;
        _restartDueAt = now + delay;
        _restartAfterCrash = true;
        if (entering)
        {
            SupervisorLog.EnvoyCrashLoop(_context.Logger, decision.CrashesInWindow, Options.CrashLoopWindow, delay);
        }
        else
        {
            SupervisorLog.EnvoyRestartScheduled(_context.Logger, delay, decision.CrashesInARow);
        }

        Board.Update(s => s with
        {
            State = _inCrashLoop ? EnvoyState.CrashLoop : EnvoyState.Restarting,
            IsServing = false,
            StartStalled = false,
            ProcessId = null,
            AdminReachable = false,
            AdminState = null,
            NextRestartAt = _restartDueAt,
            LastExitCode = exitCode,
            LastError = error,
            CrashLoopCount = entering ? s.CrashLoopCount + 1 : s.CrashLoopCount,
        });
    }

    private async Task StopEverythingAsync(CancellationToken force)
    {
        _restartDueAt = null;
        Board.Update(s => s with { State = EnvoyState.Draining, IsServing = false, NextRestartAt = null });
        if (_current is { } current)
        {
            // _current stays set while stopping, so a forced stop (KillEverything) still reaches it.
            await _stopper.StopAsync(current, force).ConfigureAwait(false);
            _current = null;
            var exitCode = current.HasExited ? await current.Exited.ConfigureAwait(false) : null;
            Board.Update(s => s with { LastExitCode = exitCode ?? s.LastExitCode });
            current.Dispose();
        }

        await _retiring.TerminateAllAsync(force).ConfigureAwait(false);
        PidFile.Delete(Options.DataDir);
        Board.Update(s => s with { State = EnvoyState.Stopped, ProcessId = null, AdminReachable = false, AdminState = null, StartStalled = false });
    }

    private void WritePidFile(EnvoyProcess process)
    {
        if (process.Pid is { } pid)
        {
            PidFile.Write(Options.DataDir, new PidRecord(pid, process.Epoch, process.BaseId));
        }
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : (a < b ? a : b);
}
