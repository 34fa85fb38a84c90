using Grpc.Core;
using MarchProxy.Alb.Api.Events;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>
/// The ModuleService façade: maps requests onto mutations of the desired state (no Envoy types
/// here), runs them through the config store, and maps the results back.
/// </summary>
[BindServiceMethod(typeof(ModuleServiceBinding), nameof(ModuleServiceBinding.Bind))]
public sealed class ModuleServiceImpl(
    ConfigStore store,
    MutationRunner runner,
    StatusReporter status,
    IMetricsReader metrics,
    ReloadCoordinator reload,
    ConfigEventHub events,
    ApiStreamShutdown streams) : ModuleService.ModuleServiceBase
{
    public override Task<StatusResponse> GetStatus(StatusRequest request, ServerCallContext context) =>
        Task.FromResult(status.Build());

    public override Task<RoutesResponse> GetRoutes(RoutesRequest request, ServerCallContext context)
    {
        var state = store.Current.State;
        var routes = state.Routes.Values.AsEnumerable();
        if (request.ClusterId.Length > 0)
        {
            var users = ClusterMutations.UsersOf(state, request.ClusterId).ToHashSet(StringComparer.Ordinal);
            routes = routes.Where(r => users.Contains(r.Name));
        }

        var response = new RoutesResponse { Version = state.Version };
        response.Routes.AddRange(routes.Select(ApiModelMapper.ToApi));
        return Task.FromResult(response);
    }

    public override Task<ClustersResponse> GetClusters(ClustersRequest request, ServerCallContext context)
    {
        var state = store.Current.State;
        var response = new ClustersResponse { Version = state.Version };
        response.Clusters.AddRange(state.Clusters.Values.Select(ApiModelMapper.ToApi));
        return Task.FromResult(response);
    }

    public override Task<MetricsResponse> GetMetrics(MetricsRequest request, ServerCallContext context) =>
        Task.FromResult(metrics.Read());

    public override async Task<RateLimitResponse> ApplyRateLimit(RateLimitRequest request, ServerCallContext context)
    {
        var reply = await runner.RunAsync(
            nameof(ApplyRateLimit), s => RouteMutations.ApplyRateLimit(s, request), validateOnly: false, request.WaitForAck, context, request.AckScope, RequestFields.ForRateLimit(request.RouteName));
        return new RateLimitResponse { Success = true, Message = reply.Message, Version = reply.Version, Ack = reply.Ack, Unchanged = reply.Unchanged };
    }

    public override async Task<TrafficWeightResponse> SetTrafficWeight(TrafficWeightRequest request, ServerCallContext context)
    {
        var reply = await runner.RunAsync(
            nameof(SetTrafficWeight), s => RouteMutations.SetTrafficWeight(s, request), validateOnly: false, request.WaitForAck, context, request.AckScope, RequestFields.ForWeights(request.RouteName));
        var response = new TrafficWeightResponse { Success = true, Message = reply.Message, Version = reply.Version, Ack = reply.Ack, Unchanged = reply.Unchanged };
        if (reply.State.Routes.TryGetValue(request.RouteName, out var route))
        {
            response.AppliedWeights.AddRange(ApiModelMapper.ToApi(route.Backends));
        }

        return response;
    }

    public override Task<ReloadResponse> Reload(ReloadRequest request, ServerCallContext context) =>
        reload.ReloadAsync(request, context);

    public override Task<MutationResponse> UpsertCluster(UpsertClusterRequest request, ServerCallContext context) =>
        MutateAsync(nameof(UpsertCluster), s => ClusterMutations.Upsert(s, request.Cluster), request.ValidateOnly, request.WaitForAck, context, request.AckScope, RequestFields.ForCluster(request.Cluster?.Name ?? string.Empty));

    public override Task<MutationResponse> DeleteCluster(DeleteRequest request, ServerCallContext context) =>
        MutateAsync(nameof(DeleteCluster), s => ClusterMutations.Delete(s, request.Name), validateOnly: false, request.WaitForAck, context, request.AckScope);

    public override Task<MutationResponse> UpsertRoute(UpsertRouteRequest request, ServerCallContext context) =>
        MutateAsync(nameof(UpsertRoute), s => RouteMutations.Upsert(s, request.Route), request.ValidateOnly, request.WaitForAck, context, request.AckScope, RequestFields.ForRoute(request.Route));

    public override Task<MutationResponse> DeleteRoute(DeleteRequest request, ServerCallContext context) =>
        MutateAsync(nameof(DeleteRoute), s => RouteMutations.Delete(s, request.Name), validateOnly: false, request.WaitForAck, context, request.AckScope);

    /// <summary>
    /// Applies the batch's items in order as one new version (all or nothing): one persist, one push,
    /// one ConfigApplied event. Refusals name the item and its field (see <see cref="BatchMutation"/>).
    /// </summary>
    public override async Task<BatchResponse> ApplyBatch(BatchRequest request, ServerCallContext context)
    {
        var batch = new BatchMutation(request.Items);
        var tooLarge = BatchMutation.CheckRequest(request);
        var result = tooLarge.Count > 0
            ? new ApplyResult(ApplyStatus.Invalid, store.Current.Version, store.Current.State, $"invalid request: {tooLarge[0].Field}: {tooLarge[0].Description}", tooLarge)
            : await store.ApplyAsync(nameof(ApplyBatch), batch.Apply, request.ValidateOnly, context.CancellationToken);
        if (result.Status == ApplyStatus.Invalid)
        {
            result = result with { Violations = [.. result.Violations.Select(batch.MapWholeState)] };
        }

        var reply = await runner.CompleteAsync(nameof(ApplyBatch), result, request.WaitForAck, context, request.AckScope);
        return new BatchResponse
        {
            Success = true,
            Message = reply.Message,
            Version = reply.Version,
            Ack = reply.Ack,
            Unchanged = reply.Unchanged,
            CheckedAgainstVersion = request.ValidateOnly ? reply.Version : 0,
            Items = request.Items.Count,
        };
    }

    /// <summary>
    /// Streams the hub's events until the client cancels or the host's shutdown sequence ends the
    /// streams (then the call ends with OK). This loop is the stream's only writer; the subscription is
    /// released when the call ends, however it ends.
    /// </summary>
    public override async Task WatchEvents(WatchEventsRequest request, IServerStreamWriter<ConfigEvent> responseStream, ServerCallContext context)
    {
        using var subscription = events.Subscribe(request.IncludeCurrent);
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, streams.Closing);
        try
        {
            await foreach (var configEvent in subscription.Reader.ReadAllAsync(ending.Token))
            {
                await responseStream.WriteAsync(configEvent, ending.Token);
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // The watcher went away (cancelled or past its deadline), or the host is stopping.
        }
    }

    private async Task<MutationResponse> MutateAsync(
        string operation,
        Func<DesiredState, MutationOutcome> mutate,
        bool validateOnly,
        bool waitForAck,
        ServerCallContext context,
        AckScope scope,
        RequestFields? fields = null)
    {
        var reply = await runner.RunAsync(operation, mutate, validateOnly, waitForAck, context, scope, fields);
        return new MutationResponse
        {
            Success = true,
            Message = reply.Message,
            Version = reply.Version,
            Ack = reply.Ack,
            Unchanged = reply.Unchanged,
            CheckedAgainstVersion = validateOnly ? reply.Version : 0,
        };
    }
}
