using System.Globalization;
using System.Threading.Channels;
using Envoy.Config.Core.V3;
using Google.Protobuf;
using Grpc.Core;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// One ADS stream. Three loops: the reader puts requests on a bounded event channel; the processing
/// loop (the only owner of the stream's state) handles them, and on every request batch or snapshot
/// signal reconciles each subscribed type with the latest snapshot; the single writer loop drains a
/// bounded response channel to the gRPC stream. A snapshot change is only a signal, coalesced by a
/// flag, so a slow stream never queues work for the publisher. One response per type is in flight
/// at a time (the next waits for the ACK or NACK), which also bounds the response channel.
/// </summary>
internal abstract partial class AdsStream<TRequest, TResponse>
    where TRequest : class, IMessage
    where TResponse : class, IMessage
{
    private const int EventCapacity = 64;
    private const int ResponseCapacity = 16;

    private readonly Channel<TRequest?> _events = Channel.CreateBounded<TRequest?>(
        new BoundedChannelOptions(EventCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Channel<(TResponse Response, string TypeUrl)> _responses = Channel.CreateBounded<(TResponse, string)>(
        new BoundedChannelOptions(ResponseCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly TypeSubscription?[] _types = new TypeSubscription?[ResourceTypes.PushOrder.Count];
    private int _signalled;
    private long _nonce;
    private NodeTracker? _tracker;

    protected AdsStream(AdsStreamContext context)
    {
        Context = context;
    }

    protected AdsStreamContext Context { get; }

    protected NodeKind Kind { get; private set; }

    protected string NodeId { get; private set; } = string.Empty;

    protected NodeTracker Tracker => _tracker ?? throw new InvalidOperationException("The stream has no node yet.");

    /// <summary>"sotw" or "delta".</summary>
    protected abstract string Protocol { get; }

    protected abstract bool IsDelta { get; }

    protected abstract Node? NodeOf(TRequest request);

    /// <summary>Applies one request to the stream state (subscriptions, ACK/NACK).</summary>
    protected abstract void HandleRequest(TRequest request);

    /// <summary>Builds the response for one type and updates the view as if the client received it.</summary>
    protected abstract TResponse BuildResponse(TypeSubscription type, ResourceSet set, TypeDiff diff, bool includeRemovals, Snapshot snapshot, string nonce, out bool staged);

    public async Task RunAsync(IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, CancellationToken callCancelled)
    {
        if (!await requests.MoveNext(callCancelled).ConfigureAwait(false))
        {
            return;
        }

        ThrowIfShuttingDown(callCancelled);
        var first = requests.Current;
        var node = NodeOf(first);
        if (node is null)
        {
            AdsLog.MissingNode(Context.Logger, Protocol);
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first request of an ADS stream must carry the node."));
        }

        Kind = NodeClassifier.Classify(node);
        NodeId = string.IsNullOrEmpty(node.Id) ? "(no id)" : node.Id;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, Context.Shutdown.Closing);
        _tracker = Context.Ledger.Connect(NodeId, Kind);
        IDisposable? watch = null;
        Task? reader = null;
        Task? writer = null;
        var opened = false;
        try
        {
            watch = Context.Cache.Watch(Kind, OnSnapshotChanged);
            Context.Observer.StreamOpened(Kind, Protocol);
            opened = true;
            AdsLog.StreamOpened(Context.Logger, Protocol, NodeId, Kind);
            writer = WriteLoopAsync(responses, cts);
            reader = ReadLoopAsync(requests, cts);
            await ProcessAsync(first, cts.Token).ConfigureAwait(false);

            // The client half-closed: flush what is queued, then end the call.
            _responses.Writer.TryComplete();
            await writer.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // The client went away, the host is shutting down, or a loop failed and logged why; the
            // finally block releases everything.
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
            watch?.Dispose();
            _tracker.Dispose();
            _responses.Writer.TryComplete();
            await Task.WhenAll(reader ?? Task.CompletedTask, writer ?? Task.CompletedTask).ConfigureAwait(false);
            if (opened)
            {
                Context.Observer.StreamClosed(Kind, Protocol);
            }

            AdsLog.StreamClosed(Context.Logger, Protocol, NodeId, Kind);
        }

        ThrowIfShuttingDown(callCancelled);
    }

    /// <summary>A stream ended (or refused) by <see cref="AdsShutdown"/> ends with UNAVAILABLE, so clients reconnect.</summary>
    private void ThrowIfShuttingDown(CancellationToken callCancelled)
    {
        if (Context.Shutdown.IsClosing && !callCancelled.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The control plane is shutting down."));
        }
    }

    /// <summary>The type's state on this stream, created on first use; null for a type we do not serve.</summary>
    protected TypeSubscription? TypeState(string typeUrl)
    {
        var index = ResourceTypes.IndexOf(typeUrl);
        if (index < 0)
        {
            AdsLog.UnknownType(Context.Logger, NodeId, typeUrl);
            return null;
        }

        return _types[index] ??= new TypeSubscription(typeUrl);
    }

    /// <summary>Marks the type subscribed (first request); <see cref="ReportSubscription"/> tells the ledger once the names are applied.</summary>
    protected static void Subscribe(TypeSubscription type)
    {
        if (!type.Subscribed)
        {
            type.Subscribed = true;
            type.MustRespond = true;
        }
    }

    /// <summary>
    /// Tells the ledger the type's subscription (after the first request of the type, or a change).
    /// When <paramref name="added"/> names arrive while a response is in flight, that response's ACK
    /// will not cover them.
    /// </summary>
    protected void ReportSubscription(TypeSubscription type, bool added)
    {
        if (added && type.Outstanding)
        {
            type.OutstandingCoversSubscription = false;
        }

        Tracker.Subscribed(type.TypeUrl, type.Wildcard, type.Names);
    }

    /// <summary>Records the ACK or NACK of the response in flight for <paramref name="type"/>.</summary>
    protected void Acknowledge(TypeSubscription type, Google.Rpc.Status? error)
    {
        if (!type.Outstanding)
        {
            return;
        }

        type.Outstanding = false;
        if (error is not null)
        {
            type.LastAcked = false;
            Tracker.Nacked(type.TypeUrl, type.OutstandingVersion, error.Message);
            Context.Observer.Nacked(Kind, type.TypeUrl);
            AdsLog.Nacked(Context.Logger, NodeId, type.ShortName, type.OutstandingVersion, type.LatestNonce!, error.Message);
            return;
        }

        type.LastAcked = true;
        if (type.OutstandingStaged)
        {
            Tracker.AckedStaged(type.TypeUrl);
        }
        else
        {
            Tracker.Acked(type.TypeUrl, type.OutstandingSnapshot!, type.OutstandingCoversSubscription);
        }

        Context.Observer.Acked(Kind, type.TypeUrl, Context.Time.GetElapsedTime(type.OutstandingSince));
        AdsLog.Acked(Context.Logger, NodeId, type.ShortName, type.OutstandingVersion, type.LatestNonce!);
    }

    private void OnSnapshotChanged()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _events.Writer.TryWrite(null);
        }
    }

    private async Task ProcessAsync(TRequest first, CancellationToken cancellationToken)
    {
        HandleRequest(first);
        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        while (await _events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_events.Reader.TryRead(out var request))
            {
                if (request is not null)
                {
                    HandleRequest(request);
                }
            }

            await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _signalled, 0);
        var snapshot = Context.Cache.GetSnapshot(Kind);
        if (snapshot is null)
        {
            return;
        }

        foreach (var response in Reconcile(snapshot))
        {
            await _responses.Writer.WriteAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync(IAsyncStreamReader<TRequest> requests, CancellationTokenSource session)
    {
        var cancellationToken = session.Token;
        try
        {
            while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                await _events.Writer.WriteAsync(requests.Current, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stream is closing.
        }
        catch (Exception ex) when (ex is IOException or RpcException or InvalidOperationException)
        {
            // The client's side broke without a cancellation: log it and close the stream.
            AdsLog.StreamBroken(Context.Logger, NodeId, "read", ex.Message);
            await session.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private async Task WriteLoopAsync(IServerStreamWriter<TResponse> responses, CancellationTokenSource session)
    {
        var cancellationToken = session.Token;
        try
        {
            await foreach (var (response, typeUrl) in _responses.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(response, cancellationToken).ConfigureAwait(false);
                Context.Observer.ResponseSent(Kind, typeUrl);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stream is closing.
        }
        catch (Exception ex) when (ex is IOException or RpcException or InvalidOperationException)
        {
            // Writing failed, so the client cannot hear us any more: log it and close the stream.
            AdsLog.StreamBroken(Context.Logger, NodeId, "write", ex.Message);
            await session.CancelAsync().ConfigureAwait(false);
        }
    }

    private string NextNonce() => Interlocked.Increment(ref _nonce).ToString(CultureInfo.InvariantCulture);
}
