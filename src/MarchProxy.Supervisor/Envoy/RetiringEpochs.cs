namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Old epochs after a hot restart. The new epoch drains them and terminates them itself after
/// <c>--parent-shutdown-time-s</c>; if one is still there a stop grace period later, it gets SIGTERM,
/// then SIGKILL. Its exit is expected, never a crash.
/// </summary>
internal sealed class RetiringEpochs(SupervisorContext context, GracefulStopper stopper)
{
    private readonly List<Entry> _entries = [];

    public TimeSpan? UntilNextDeadline =>
        _entries.Count == 0 ? null : _entries.Min(e => e.Deadline) - context.Now;

    public void Add(EnvoyProcess process) =>
        _entries.Add(new Entry(process, context.Now + context.Options.ParentShutdownTime + context.Options.StopGracePeriod));

    public async Task EnforceAsync()
    {
        foreach (var entry in _entries.ToArray())
        {
            var process = entry.Process;
            if (process.HasExited)
            {
                var exitCode = await process.Exited.ConfigureAwait(false);
                SupervisorLog.RetiredEpochExited(context.Logger, process, exitCode);
                Remove(entry);
                continue;
            }

            if (context.Now < entry.Deadline)
            {
                continue;
            }

            if (process.Pid is null || entry.Signals >= 2)
            {
                // Without a pid we cannot act; after SIGKILL there is nothing more to do.
                if (entry.Signals >= 2)
                {
                    SupervisorLog.EnvoyWouldNotExit(context.Logger, process);
                }

                Remove(entry);
                continue;
            }

            var signal = entry.Signals == 0 ? PosixSignals.SigTerm : PosixSignals.SigKill;
            SupervisorLog.RetiredEpochOverdue(context.Logger, process, PosixSignals.Name(signal));
            process.Signal(signal);
            entry.Signals++;
            entry.Deadline = context.Now + context.Options.StopGracePeriod;
        }
    }

    public async Task TerminateAllAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in _entries.ToArray())
        {
            await stopper.TerminateAsync(entry.Process, cancellationToken).ConfigureAwait(false);
            Remove(entry);
        }
    }

    public void KillAll()
    {
        foreach (var entry in _entries)
        {
            entry.Process.Signal(PosixSignals.SigKill);
        }
    }

    private void Remove(Entry entry)
    {
        _entries.Remove(entry);
        entry.Process.Dispose();
    }

    private sealed class Entry(EnvoyProcess process, DateTimeOffset deadline)
    {
        public EnvoyProcess Process { get; } = process;

        public DateTimeOffset Deadline { get; set; } = deadline;

        public int Signals { get; set; }
    }
}
