namespace MarchProxy.Load.Ads;

/// <summary>How many clients are synced right now, with waits on a condition of that number (no polling).</summary>
public sealed class SyncCounter
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => Volatile.Read(ref _count);

    public void Add(int delta)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _count += delta;
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the count; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitUntilAsync(Func<int, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_count))
                {
                    return true;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return condition(Count);
            }
        }
    }
}
