namespace MarchProxy.Supervisor.Tests.Infrastructure;

/// <summary>Every await of something asynchronous in these tests is bounded.</summary>
public static class TaskTimeoutExtensions
{
    public static readonly TimeSpan DefaultTimeoutSpan = TimeSpan.FromSeconds(15);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(DefaultTimeoutSpan);

    public static Task DefaultTimeout(this Task task, TimeSpan timeout) => task.WaitAsync(timeout);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(DefaultTimeoutSpan);

    public static Task<T> DefaultTimeout<T>(this Task<T> task, TimeSpan timeout) => task.WaitAsync(timeout);
}
