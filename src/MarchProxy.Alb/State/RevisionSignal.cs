namespace MarchProxy.Alb.State;

/// <summary>
/// The latest value of a growing number (a config version, an etcd revision) and a way to await it
/// passing a value, without polling.
/// </summary>
public sealed class RevisionSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    /// <summary>Raises the value (a lower one is ignored) and wakes the waiters.</summary>
    public void Set(long value)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (value <= _value)
            {
                return;
            }

            Interlocked.Exchange(ref _value, value);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Wakes the waiters without raising the value (something beside it changed).</summary>
    public void Pulse()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>A task that completes at the next <see cref="Set"/> or <see cref="Pulse"/>.</summary>
    public Task Next()
    {
        lock (_lock)
        {
            return _changed.Task;
        }
    }

    /// <summary>True once the value exceeds <paramref name="value"/>; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitAboveAsync(long value, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timer = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, timeProvider);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer?.Token ?? CancellationToken.None);
        try
        {
            while (Value <= value)
            {
                await Next().WaitAsync(limit.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
