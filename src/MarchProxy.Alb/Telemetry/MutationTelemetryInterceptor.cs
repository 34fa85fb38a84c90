using System.Collections.Frozen;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Wraps each ModuleService mutation in a <see cref="AlbTracing.MutationSpan"/> span and counts it
/// in <c>marchproxy.config.mutations</c> by RPC and result. Other calls (queries, ADS streams)
/// pass through untouched. Result values: <c>applied</c>, <c>unchanged</c> (it asked for what was already
/// there), <c>validated</c> (validate_only), <c>failed</c> (a response with success = false), or the
/// gRPC status code in snake case
/// (<c>invalid_argument</c>, <c>not_found</c>, <c>failed_precondition</c>, <c>unavailable</c>, …).
/// </summary>
public sealed class MutationTelemetryInterceptor : Interceptor
{
    private const string ServicePrefix = "/marchproxy.ModuleService/";

    /// <summary>The ModuleService mutations, by RPC name.</summary>
    public static readonly FrozenSet<string> Mutations = FrozenSet.Create(
        StringComparer.Ordinal,
        "ApplyRateLimit",
        "SetTrafficWeight",
        "Reload",
        "UpsertCluster",
        "DeleteCluster",
        "UpsertRoute",
        "DeleteRoute",
        "ApplyBatch");

    private readonly AlbTracing _tracing;
    private readonly AlbMetrics _metrics;

    public MutationTelemetryInterceptor(AlbTracing tracing, AlbMetrics metrics)
    {
        _tracing = tracing;
        _metrics = metrics;
    }

    /// <summary>The RPC name when <paramref name="method"/> is a ModuleService mutation, else null.</summary>
    public static string? MutationRpc(string method) =>
        method.StartsWith(ServicePrefix, StringComparison.Ordinal) && Mutations.Contains(method[ServicePrefix.Length..])
            ? method[ServicePrefix.Length..]
            : null;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var rpc = MutationRpc(context.Method);
        if (rpc is null)
        {
            return await continuation(request, context);
        }

        using var activity = _tracing.StartMutation(rpc);
        string? result = null;
        try
        {
            var response = await continuation(request, context);
            result = ResultOf(request, response);
            activity?.SetStatus(result == "failed" ? ActivityStatusCode.Error : ActivityStatusCode.Ok);
            return response;
        }
        catch (RpcException e)
        {
            result = StatusLabel(e.StatusCode);
            activity?.SetStatus(ActivityStatusCode.Error, e.Status.Detail);
            throw;
        }
        catch (OperationCanceledException)
        {
            result = StatusLabel(StatusCode.Cancelled);
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
            throw;
        }
        finally
        {
            // An unexpected exception leaves result unassigned here; it surfaces as INTERNAL.
            result ??= StatusLabel(StatusCode.Internal);
            activity?.SetTag("marchproxy.result", result);
            _metrics.MutationCompleted(rpc, result);
        }
    }

    /// <summary>"invalid_argument" for <see cref="StatusCode.InvalidArgument"/>, and so on.</summary>
    public static string StatusLabel(StatusCode code) => code switch
    {
        StatusCode.OK => "ok",
        StatusCode.Cancelled => "cancelled",
        StatusCode.Unknown => "unknown",
        StatusCode.InvalidArgument => "invalid_argument",
        StatusCode.DeadlineExceeded => "deadline_exceeded",
        StatusCode.NotFound => "not_found",
        StatusCode.AlreadyExists => "already_exists",
        StatusCode.PermissionDenied => "permission_denied",
        StatusCode.ResourceExhausted => "resource_exhausted",
        StatusCode.FailedPrecondition => "failed_precondition",
        StatusCode.Aborted => "aborted",
        StatusCode.OutOfRange => "out_of_range",
        StatusCode.Unimplemented => "unimplemented",
        StatusCode.Internal => "internal",
        StatusCode.Unavailable => "unavailable",
        StatusCode.DataLoss => "data_loss",
        StatusCode.Unauthenticated => "unauthenticated",
        _ => "unknown",
    };

    private static string ResultOf(object? request, object? response)
    {
        var (success, unchanged) = response switch
        {
            MutationResponse r => (r.Success, r.Unchanged),
            RateLimitResponse r => (r.Success, r.Unchanged),
            TrafficWeightResponse r => (r.Success, r.Unchanged),
            ReloadResponse r => (r.Success, r.Unchanged),
            BatchResponse r => (r.Success, r.Unchanged),
            _ => (true, false),
        };
        if (!success)
        {
            return "failed";
        }

        var validateOnly = request switch
        {
            UpsertClusterRequest r => r.ValidateOnly,
            UpsertRouteRequest r => r.ValidateOnly,
            BatchRequest r => r.ValidateOnly,
            _ => false,
        };
        return validateOnly ? "validated" : unchanged ? "unchanged" : "applied";
    }
}
