namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Counts the requests whose response has not been sent yet (a request leaves the count in its
/// Response.OnCompleted callback, after the last frame, trailers included, went out). The shutdown
/// sequence waits for the count to reach zero after it ends the streams, so the server's stop does not
/// race a stream's final status.
/// </summary>
public sealed class InFlightRequests
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource? _idle;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>The middleware: counts the request until its response has been sent.</summary>
    public Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        lock (_gate)
        {
            _count++;
        }

        context.Response.OnCompleted(static state =>
        {
            ((InFlightRequests)state).Completed();
            return Task.CompletedTask;
        }, this);
        return next(context);
    }

    /// <summary>Completes once no response is pending, or when <paramref name="cancellationToken"/> fires (no exception).</summary>
    public async Task WaitForNoneAsync(CancellationToken cancellationToken)
    {
        Task idle;
        lock (_gate)
        {
            if (_count == 0)
            {
                return;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        try
        {
            await idle.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time: the server's stop deals with what is left.
        }
    }

    private void Completed()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_count == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }

        idle?.TrySetResult();
    }
}
