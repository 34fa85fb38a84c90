namespace MarchProxy.Testing;

/// <summary>Every await of something asynchronous in a test goes through one of these, so no test hangs.</summary>
public static class TaskTimeoutExtensions
{
    /// <summary>Long enough for a loaded 2-core CI machine; a test that needs more says so.</summary>
    public static readonly TimeSpan DefaultTimeoutSpan = TimeSpan.FromSeconds(15);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(DefaultTimeoutSpan);

    public static Task DefaultTimeout(this Task task, TimeSpan timeout) => task.WaitAsync(timeout);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(DefaultTimeoutSpan);

    public static Task<T> DefaultTimeout<T>(this Task<T> task, TimeSpan timeout) => task.WaitAsync(timeout);

    public static Task DefaultTimeout(this ValueTask task) => task.AsTask().WaitAsync(DefaultTimeoutSpan);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(DefaultTimeoutSpan);
}
