using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// One ADS stream on the wire; it knows no protocol rules. A read loop decodes requests into a bounded
/// channel; the processing loop, the only owner of the stream's <see cref="AdsStateMachine"/> and the
/// only writer to the gRPC stream, feeds it each request and, after every batch or snapshot signal,
/// the latest snapshot, then carries out its effects. A snapshot change is only a signal, coalesced
/// by a flag, so a slow stream never queues work for the publisher.
/// </summary>
internal sealed class AdsTransport<TRequest, TResponse>(AdsStreamContext context, IAdsCodec<TRequest, TResponse> codec)
    where TRequest : class, IMessage
    where TResponse : class, IMessage
{
    // A client has at most a few requests per type outstanding; the reader waits when this is full.
    private const int EventCapacity = 16;

    private readonly Channel<AdsRequest?> _events = Channel.CreateBounded<AdsRequest?>(
        new BoundedChannelOptions(EventCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly List<AdsEffect> _effects = [];
    private readonly long[] _sentAt = new long[ResourceTypes.PushOrder.Count];
    private readonly AdsStateMachine _machine = new(codec.Incremental);
    private NodeTracker? _tracker;
    private NodeKind _kind;
    private string _nodeId = "(unknown)";
    private int _signalled;
    private RpcException? _failure;

    public async Task RunAsync(IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, string peer, CancellationToken callCancelled)
    {
        var first = await ReadFirstAsync(requests, callCancelled).ConfigureAwait(false);
        if (first is null)
        {
            return;
        }

        ThrowIfShuttingDown(callCancelled);
        var node = codec.NodeOf(first);
        if (node is null)
        {
            AdsLog.MissingNode(context.Logger, codec.Protocol);
            throw Invalid("The first request of an ADS stream must carry the node.");
        }

        _nodeId = string.IsNullOrEmpty(node.Id) ? "(no id)" : node.Id;
        if (NodeLimits.Check(node) is { } problem)
        {
            throw Fail(problem);
        }

        var firstRequest = Decode(first) ?? throw _failure!;
        _kind = NodeClassifier.Classify(node);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, context.Shutdown.Closing);
        var tracker = _tracker = context.Ledger.Connect(_nodeId, _kind);
        IDisposable? watch = null;
        var reader = Task.CompletedTask;
        var opened = false;
        try
        {
            watch = context.Cache.Watch(_kind, OnSnapshotChanged);
            context.Observer.StreamOpened(_kind, codec.Protocol);
            opened = true;
            AdsLog.StreamOpened(context.Logger, codec.Protocol, _nodeId, _kind, peer);
            reader = ReadLoopAsync(requests, session);
            await ProcessAsync(firstRequest, responses, session.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            // The client went away, the host is shutting down, or the read loop ended the stream and
            // said why; the finally block releases everything.
        }
        catch (Exception ex) when (ex is IOException or RpcException or OperationCanceledException or InvalidOperationException)
        {
            // Writing failed: the client is gone.
            AdsLog.ClientClosed(context.Logger, _nodeId, codec.Protocol, ex.Message);
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            watch?.Dispose();
            tracker.Dispose();
            await reader.ConfigureAwait(false);
            if (opened)
            {
                context.Observer.StreamClosed(_kind, codec.Protocol);
            }

            AdsLog.StreamClosed(context.Logger, codec.Protocol, _nodeId, _kind);
        }

        if (_failure is not null)
        {
            throw _failure;
        }

        ThrowIfShuttingDown(callCancelled);
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    private async Task<TRequest?> ReadFirstAsync(IAsyncStreamReader<TRequest> requests, CancellationToken callCancelled)
    {
        try
        {
            return await requests.MoveNext(callCancelled).ConfigureAwait(false) ? requests.Current : null;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Fail($"the first request is not a valid {typeof(TRequest).Name}: {ex.Message}");
        }
    }

    /// <summary>A stream ended (or refused) by <see cref="AdsShutdown"/> ends with UNAVAILABLE, so clients reconnect.</summary>
    private void ThrowIfShuttingDown(CancellationToken callCancelled)
    {
        if (context.Shutdown.IsClosing && !callCancelled.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The control plane is shutting down."));
        }
    }

    /// <summary>Records why the stream must end with INVALID_ARGUMENT and logs it (once).</summary>
    private RpcException Fail(string problem)
    {
        if (_failure is null)
        {
            AdsLog.InvalidRequest(context.Logger, codec.Protocol, _nodeId, problem);
            _failure = Invalid(problem);
        }

        return _failure;
    }

    /// <summary>The request for the state machine; null (and the stream's failure set) when it is invalid.</summary>
    private AdsRequest? Decode(TRequest request)
    {
        var decoded = codec.Decode(request);
        if (decoded.TypeUrl.Length == 0)
        {
            Fail("type_url is empty; on an aggregated (ADS) stream every request must name its resource type.");
            return null;
        }

        return decoded;
    }

    private void OnSnapshotChanged()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            // A full channel drops the signal, harmlessly: every batch of requests ends in a reconcile.
            _events.Writer.TryWrite(null);
        }
    }

    private async Task ProcessAsync(AdsRequest first, IServerStreamWriter<TResponse> responses, CancellationToken cancellationToken)
    {
        _machine.Handle(first, _effects);
        await ReconcileAsync(responses, cancellationToken).ConfigureAwait(false);
        while (await _events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_events.Reader.TryRead(out var request))
            {
                if (request is not null)
                {
                    _machine.Handle(request, _effects);
                    await FlushAsync(responses, cancellationToken).ConfigureAwait(false);
                }
            }

            await ReconcileAsync(responses, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReconcileAsync(IServerStreamWriter<TResponse> responses, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _signalled, 0);
        if (context.Cache.GetSnapshot(_kind) is { } snapshot)
        {
            _machine.Reconcile(snapshot, _effects);
        }

        await FlushAsync(responses, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Carries out the effects in order: the ledger before the observer, so a reader of the ledger sees the change.</summary>
    private async Task FlushAsync(IServerStreamWriter<TResponse> responses, CancellationToken cancellationToken)
    {
        foreach (var effect in _effects)
        {
            if (effect is SendEffect send)
            {
                await WriteAsync(responses, send.Response, cancellationToken).ConfigureAwait(false);
                continue;
            }

            LedgerEffects.Apply(effect, _tracker!);
            Observe(effect);
        }

        _effects.Clear();
    }

    private async Task WriteAsync(IServerStreamWriter<TResponse> responses, AdsResponse response, CancellationToken cancellationToken)
    {
        await responses.WriteAsync(codec.Encode(response), cancellationToken).ConfigureAwait(false);
        _sentAt[ResourceTypes.IndexOf(response.TypeUrl)] = context.Time.GetTimestamp();
        context.Observer.ResponseSent(_kind, response.TypeUrl);
        var type = ResourceTypes.ShortName(response.TypeUrl);
        AdsLog.ResponseSent(
            context.Logger, codec.Protocol, _nodeId, type, response.Snapshot.Version,
            response.TypeVersion, response.Nonce, response.Resources.Count, response.Removed.Count);
    }

    private void Observe(AdsEffect effect)
    {
        var type = ResourceTypes.ShortName(effect.TypeUrl);
        switch (effect)
        {
            case AckEffect ack:
                context.Observer.Acked(_kind, ack.TypeUrl, context.Time.GetElapsedTime(_sentAt[ResourceTypes.IndexOf(ack.TypeUrl)]));
                AdsLog.Acked(context.Logger, _nodeId, type, ack.Version, ack.Nonce);
                break;
            case NackEffect nack:
                context.Observer.Nacked(_kind, nack.TypeUrl);
                if (nack.HeldBack is { Count: > 0 } heldBack)
                {
                    AdsLog.NackedHoldingBack(context.Logger, _nodeId, type, nack.Version, nack.Nonce, string.Join("; ", heldBack), nack.Error);
                }
                else
                {
                    AdsLog.Nacked(context.Logger, _nodeId, type, nack.Version, nack.Nonce, nack.Error);
                }

                break;
            case StillRejectedEffect stillRejected:
                AdsLog.StillRejected(context.Logger, _nodeId, type, stillRejected.Snapshot.Version);
                break;
            case StaleNonceEffect stale:
                AdsLog.StaleNonce(context.Logger, _nodeId, type, stale.Nonce, stale.LatestNonce);
                break;
            case UnknownTypeEffect unknown:
                AdsLog.UnknownType(context.Logger, _nodeId, unknown.TypeUrl);
                break;
            default:
                break;
        }
    }

    private async Task ReadLoopAsync(IAsyncStreamReader<TRequest> requests, CancellationTokenSource session)
    {
        var cancellationToken = session.Token;
        try
        {
            while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                if (Decode(requests.Current) is not { } request)
                {
                    await session.CancelAsync().ConfigureAwait(false);
                    return;
                }

                await _events.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stream is closing.
        }
        catch (InvalidProtocolBufferException ex)
        {
            Fail($"a request is not a valid {typeof(TRequest).Name}: {ex.Message}");
            await session.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or RpcException or OperationCanceledException or InvalidOperationException)
        {
            // The client reset or abandoned the stream: routine, not a fault.
            AdsLog.ClientClosed(context.Logger, _nodeId, codec.Protocol, ex.Message);
            await session.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
