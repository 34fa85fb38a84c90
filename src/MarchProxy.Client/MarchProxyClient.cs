using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using MarchProxy.Api.V1;
using MarchProxy.Client.Internal;

namespace MarchProxy.Client;

/// <summary>
/// A ModuleService client: the generated <see cref="ModuleService.ModuleServiceClient"/> (as
/// <see cref="Service"/>, with the API key and retries on UNAVAILABLE) and one helper per RPC that
/// sets the deadline, asks for wait_for_ack when told, and turns errors into <see cref="MarchProxyException"/>.
/// </summary>
public sealed class MarchProxyClient : IDisposable
{
    private readonly MarchProxyClientOptions _options;

    public MarchProxyClient(MarchProxyClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetryAttempts);
        _options = options;
        Channel = ChannelFactory.Create(options);
        var invoker = options.MaxRetryAttempts == 0
            ? Channel.CreateCallInvoker()
            : Channel.Intercept(new UnavailableRetryInterceptor(options.MaxRetryAttempts, options.RetryDelay, options.TimeProvider));
        Service = new ModuleService.ModuleServiceClient(invoker);
    }

    /// <summary>The channel; dispose the client, not the channel.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The generated client, for calls the helpers do not cover. Its errors are plain RpcExceptions.</summary>
    public ModuleService.ModuleServiceClient Service { get; }

    public Task<StatusResponse> GetStatusAsync(CancellationToken cancellationToken = default) =>
        CallAsync(o => Service.GetStatusAsync(new StatusRequest(), o), waitForAck: false, cancellationToken);

    /// <summary>Every route, or only those that send traffic to <paramref name="clusterId"/>.</summary>
    public Task<RoutesResponse> GetRoutesAsync(string? clusterId = null, CancellationToken cancellationToken = default) =>
        CallAsync(o => Service.GetRoutesAsync(new RoutesRequest { ClusterId = clusterId ?? string.Empty }, o), waitForAck: false, cancellationToken);

    public Task<ClustersResponse> GetClustersAsync(CancellationToken cancellationToken = default) =>
        CallAsync(o => Service.GetClustersAsync(new ClustersRequest(), o), waitForAck: false, cancellationToken);

    public Task<MetricsResponse> GetMetricsAsync(CancellationToken cancellationToken = default) =>
        CallAsync(o => Service.GetMetricsAsync(new MetricsRequest(), o), waitForAck: false, cancellationToken);

    /// <summary>Creates or replaces a cluster. With <paramref name="validateOnly"/> nothing changes.</summary>
    public Task<MutationResponse> UpsertClusterAsync(ClusterConfig cluster, bool waitForAck = false, bool validateOnly = false, CancellationToken cancellationToken = default) =>
        CallAsync(o => Service.UpsertClusterAsync(new UpsertClusterRequest { Cluster = cluster, WaitForAck = waitForAck, ValidateOnly = validateOnly }, o), waitForAck, cancellationToken);

    public Task<MutationResponse> DeleteClusterAsync(string name, bool waitForAck = false, CancellationToken cancellationToken = default) =>
        CallAsync(o => Service.DeleteClusterAsync(new DeleteRequest { Name = name, WaitForAck = waitForAck }, o), waitForAck, cancellationToken);

    /// <summary>Creates or replaces a route. With <paramref name="validateOnly"/> nothing changes.</summary>
    public Task<MutationResponse> UpsertRouteAsync(RouteConfig route, bool waitForAck = false, bool validateOnly = false, CancellationToken cancellationToken = default) =>
        CallAsync(o => Service.UpsertRouteAsync(new UpsertRouteRequest { Route = route, WaitForAck = waitForAck, ValidateOnly = validateOnly }, o), waitForAck, cancellationToken);

    public Task<MutationResponse> DeleteRouteAsync(string name, bool waitForAck = false, CancellationToken cancellationToken = default) =>
        CallAsync(o => Service.DeleteRouteAsync(new DeleteRequest { Name = name, WaitForAck = waitForAck }, o), waitForAck, cancellationToken);

    /// <summary>Replaces the route's weighted backends (blue/green).</summary>
    public Task<TrafficWeightResponse> SetTrafficWeightAsync(string routeName, IEnumerable<TrafficWeight> weights, bool waitForAck = false, CancellationToken cancellationToken = default)
    {
        var request = new TrafficWeightRequest { RouteName = routeName, WaitForAck = waitForAck };
        request.Weights.AddRange(weights);
        return CallAsync(o => Service.SetTrafficWeightAsync(request, o), waitForAck, cancellationToken);
    }

    /// <summary>Sets the route's local rate limit; a config with <c>enabled = false</c> removes it.</summary>
    public Task<RateLimitResponse> ApplyRateLimitAsync(string routeName, RateLimitConfig config, bool waitForAck = false, CancellationToken cancellationToken = default) =>
        CallAsync(o => Service.ApplyRateLimitAsync(new RateLimitRequest { RouteName = routeName, Config = config, WaitForAck = waitForAck }, o), waitForAck, cancellationToken);

    /// <summary>
    /// Applies <paramref name="items"/> in order as one new config version, all or nothing (at most
    /// 10,000 items). A refusal names the item and its field (<c>items[3].upsert_route.route.cluster_name</c>)
    /// and changes nothing. With <paramref name="validateOnly"/> the whole batch is checked and nothing changes.
    /// </summary>
    public Task<BatchResponse> ApplyBatchAsync(IEnumerable<BatchItem> items, bool waitForAck = false, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        var request = new BatchRequest { WaitForAck = waitForAck, ValidateOnly = validateOnly };
        request.Items.AddRange(items);
        return CallAsync(o => Service.ApplyBatchAsync(request, o), waitForAck, cancellationToken);
    }

    /// <summary>Re-reads the standalone config file; <paramref name="force"/> also hot-restarts Envoy.</summary>
    public Task<ReloadResponse> ReloadAsync(bool force = false, bool waitForAck = false, CancellationToken cancellationToken = default)
    {
        // A hot restart needs the ordinary timeout on top of any ACK wait.
        var deadline = Deadline(_options.Timeout, waitForAck ? _options.AckTimeout : TimeSpan.Zero);
        return InvokeAsync(Service.ReloadAsync(new ReloadRequest { Force = force, WaitForAck = waitForAck }, new CallOptions(deadline: deadline, cancellationToken: cancellationToken)));
    }

    /// <summary>
    /// The live event feed (config applied, xDS nodes, Envoy). With <paramref name="includeCurrent"/>
    /// it starts with the current version, every known node and Envoy's state. It ends when the
    /// token is cancelled (then it simply stops) or the server ends the stream.
    /// </summary>
    public async IAsyncEnumerable<ConfigEvent> WatchEventsAsync(bool includeCurrent = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var call = Service.WatchEvents(new WatchEventsRequest { IncludeCurrent = includeCurrent }, new CallOptions(cancellationToken: cancellationToken));
        while (true)
        {
            bool more;
            try
            {
                more = await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            catch (RpcException e)
            {
                throw MarchProxyException.FromRpcException(e);
            }

            if (!more)
            {
                yield break;
            }

            yield return call.ResponseStream.Current;
        }
    }

    public void Dispose() => Channel.Dispose();

    private Task<TResponse> CallAsync<TResponse>(Func<CallOptions, AsyncUnaryCall<TResponse>> call, bool waitForAck, CancellationToken cancellationToken)
    {
        var deadline = waitForAck ? Deadline(_options.AckTimeout, TimeSpan.Zero) : Deadline(_options.Timeout, TimeSpan.Zero);
        return InvokeAsync(call(new CallOptions(deadline: deadline, cancellationToken: cancellationToken)));
    }

    private static async Task<TResponse> InvokeAsync<TResponse>(AsyncUnaryCall<TResponse> call)
    {
        using (call)
        {
            try
            {
                return await call.ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw MarchProxyException.FromRpcException(e);
            }
        }
    }

    private DateTime? Deadline(TimeSpan? timeout, TimeSpan extra) =>
        timeout is { } t ? _options.TimeProvider.GetUtcNow().UtcDateTime + t + extra : null;
}
