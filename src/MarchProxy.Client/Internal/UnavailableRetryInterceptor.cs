using Grpc.Core;
using Grpc.Core.Interceptors;
using Polly;
using Polly.Retry;

namespace MarchProxy.Client.Internal;

/// <summary>
/// Retries unary calls that fail with UNAVAILABLE (the ALB is restarting, not reachable yet, or could
/// not persist a change, in which case nothing changed). Every attempt keeps the caller's deadline
/// and cancellation, so retries never outlive the call. Streaming calls are not retried.
/// </summary>
internal sealed class UnavailableRetryInterceptor : Interceptor
{
    private readonly ResiliencePipeline _pipeline;

    public UnavailableRetryInterceptor(int maxRetryAttempts, TimeSpan delay, TimeProvider timeProvider)
    {
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => e.StatusCode == StatusCode.Unavailable),
                MaxRetryAttempts = maxRetryAttempts,
                Delay = delay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var attempts = new AttemptTracker<TResponse>();
        var response = _pipeline.ExecuteAsync(
            async (state, _) =>
            {
                var call = state.Continuation(state.Request, state.Context);
                state.Attempts.Current = call;
                return await call.ResponseAsync.ConfigureAwait(false);
            },
            (Request: request, Context: context, Continuation: continuation, Attempts: attempts),
            context.Options.CancellationToken).AsTask();

        return new AsyncUnaryCall<TResponse>(
            response,
            HeadersAsync(response, attempts),
            () => attempts.Current?.GetStatus() ?? Status.DefaultSuccess,
            () => attempts.Current?.GetTrailers() ?? [],
            () => attempts.Current?.Dispose());
    }

    private static async Task<Metadata> HeadersAsync<TResponse>(Task<TResponse> response, AttemptTracker<TResponse> attempts)
    {
        // The headers of the attempt that decided the outcome.
        await ((Task)response).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        return attempts.Current is { } call ? await call.ResponseHeadersAsync.ConfigureAwait(false) : [];
    }

    private sealed class AttemptTracker<TResponse>
    {
        public AsyncUnaryCall<TResponse>? Current { get; set; }
    }
}
