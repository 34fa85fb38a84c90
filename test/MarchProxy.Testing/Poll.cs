namespace MarchProxy.Testing;

/// <summary>Deadline-bounded polling of an observable condition, for what gives no signal to await (another process, a file).</summary>
public static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks <paramref name="condition"/> every <see cref="Interval"/> until it holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> at the deadline.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TaskTimeoutExtensions.DefaultTimeoutSpan;
        using var deadline = new CancellationTokenSource(limit);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            if (await condition())
            {
                return;
            }
        }
        while (await NextTickAsync(timer, deadline.Token));

        throw new TimeoutException($"Waited {limit} for {what}.");
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken deadline)
    {
        try
        {
            return await timer.WaitForNextTickAsync(deadline);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
