namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Crash accounting: exponential backoff (initial, doubled per crash in a row, capped), reset by a
/// run that stayed up for the stable period, and crash-loop detection (more than the threshold within
/// the window). Pure logic on timestamps from the supervisor's clock; owned by the supervisor loop.
/// </summary>
internal sealed class RestartPolicy(EnvoyOptions options)
{
    private readonly Queue<DateTimeOffset> _recentCrashes = new();
    private int _crashesInARow;

    public RestartDecision RecordCrash(DateTimeOffset startedAt, DateTimeOffset exitedAt)
    {
        if (exitedAt - startedAt >= options.StableRunPeriod)
        {
            _crashesInARow = 0;
        }

        _crashesInARow++;
        _recentCrashes.Enqueue(exitedAt);
        while (_recentCrashes.Count > 0 && exitedAt - _recentCrashes.Peek() > options.CrashLoopWindow)
        {
            _recentCrashes.Dequeue();
        }

        // Only "more than the threshold" matters, so the queue never needs more than threshold + 1 entries.
        while (_recentCrashes.Count > options.CrashLoopThreshold + 1)
        {
            _recentCrashes.Dequeue();
        }

        var isCrashLoop = _recentCrashes.Count > options.CrashLoopThreshold;
        var delay = isCrashLoop ? options.RestartBackoffMax : Backoff(_crashesInARow);
        return new RestartDecision(delay, isCrashLoop, _crashesInARow, _recentCrashes.Count);
    }

    private TimeSpan Backoff(int crashesInARow)
    {
        // 1 s, 2 s, 4 s, … with the exponent bounded so the multiplication never overflows.
        var exponent = Math.Min(crashesInARow - 1, 30);
        var ticks = options.RestartBackoffInitial.Ticks * Math.Pow(2, exponent);
        return ticks >= options.RestartBackoffMax.Ticks ? options.RestartBackoffMax : TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>What to do after a crash.</summary>
/// <param name="Delay">Wait this long before the next start.</param>
/// <param name="IsCrashLoop">More crashes than the threshold within the window.</param>
/// <param name="CrashesInARow">Crashes since the last stable run (drives the backoff).</param>
/// <param name="CrashesInWindow">Crashes within the crash-loop window.</param>
internal readonly record struct RestartDecision(TimeSpan Delay, bool IsCrashLoop, int CrashesInARow, int CrashesInWindow);
