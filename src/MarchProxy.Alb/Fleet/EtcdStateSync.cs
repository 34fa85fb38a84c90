using Etcdserverpb;
using Grpc.Core;
using MarchProxy.Alb.State;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// Keeps this ALB on the fleet's state: watches the prefix from the revision it last saw, applies each
/// revision's events to its mirror of etcd and hands the result to the config store (which translates
/// and publishes it to this ALB's xDS nodes), keeps the member view current, and writes the local copy.
/// When etcd compacted the history it needs, it re-reads the prefix and continues; when etcd is
/// unreachable it retries with backoff while the last state keeps serving.
/// </summary>
public sealed class EtcdStateSync(
    ConfigStore config,
    EtcdStateStore store,
    EtcdConnection etcd,
    StoreHealth health,
    FleetView fleet,
    IConfigAppliedSink events,
    FleetMetrics metrics,
    TimeProvider timeProvider,
    ILogger<EtcdStateSync> logger) : BackgroundService
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private StoredState _mirror = StoredState.Empty;

    // Every event at or below this revision has been applied; the watch resumes after it.
    private long _revision;

    // Config events at or below this revision are already in the mirror. It can be ahead of _revision:
    // a start that seeded the prefix (or caught up through a commit) holds a config newer than its
    // full read, while member keys written in between are known only from the watch.
    private long _configApplied;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Its gauges exist from the start of fleet mode.
        _ = metrics;
        _mirror = config.Current;
        _configApplied = _mirror.Version;
        _revision = store.LoadedRevision > 0 ? Math.Min(store.LoadedRevision, _mirror.Version) : _mirror.Version;
        store.Mirror.Set(_mirror.Version);
        var backoff = MinBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await WatchAsync(() => backoff = MinBackoff, stoppingToken))
                {
                    await ResyncAsync(stoppingToken);
                }

                continue;
            }
            catch (RpcException ex) when (!stoppingToken.IsCancellationRequested)
            {
                etcd.Failed(ex);
                health.Unreachable(etcd.Describe(ex));
                FleetLog.WatchFailed(logger, ex.Status.Detail, _revision);
            }
            catch (IOException ex) when (!stoppingToken.IsCancellationRequested)
            {
                health.Unreachable(ex.Message);
                FleetLog.WatchFailed(logger, ex.Message, _revision);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                // Never stop the host over the watch: the last state keeps serving while it retries.
                FleetLog.WatchError(logger, _revision, ex);
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested && ex is OperationCanceledException or RpcException)
            {
                return;
            }

            try
            {
                await Task.Delay(backoff, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>One watch stream; true when it ended because the history it needs was compacted.</summary>
    private async Task<bool> WatchAsync(Action connected, CancellationToken cancellationToken)
    {
        using var call = etcd.Watch.Watch(await etcd.StreamAsync(cancellationToken));
        await call.RequestStream.WriteAsync(
            new WatchRequest
            {
                CreateRequest = new WatchCreateRequest
                {
                    Key = etcd.Keys.PrefixKey,
                    RangeEnd = etcd.Keys.PrefixEnd,
                    StartRevision = _revision + 1,
                    ProgressNotify = true,
                },
            },
            cancellationToken);

        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (response.CompactRevision > 0)
            {
                FleetLog.WatchCompacted(logger, response.CompactRevision, etcd.Keys.Prefix);
                return true;
            }

            if (response.Canceled)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, $"etcd cancelled the watch: {response.CancelReason}"));
            }

            if (response.Created)
            {
                health.Reachable();
                connected();
                if (_revision > 0 && config.Current.Version < _mirror.Version)
                {
                    // Reconnected after an outage: serve what was missed before the next events.
                    await HandOverAsync(_mirror, cancellationToken);
                }
            }

            await ApplyAsync(response, cancellationToken);
        }

        throw new RpcException(new Status(StatusCode.Unavailable, "etcd ended the watch"));
    }

    private async Task ApplyAsync(WatchResponse response, CancellationToken cancellationToken)
    {
        var mirror = _mirror;
        long configRevision = 0;
        foreach (var change in response.Events)
        {
            var kv = change.Kv;
            if (kv.ModRevision <= _revision || !etcd.Keys.TryParse(kv.Key, out var kind, out var name))
            {
                continue;
            }

            var value = change.Type == Mvccpb.Event.Types.EventType.Put ? kv.Value : null;
            if (kind == EtcdKeys.Members)
            {
                fleet.Apply(name, value, kv.ModRevision);
                continue;
            }

            if (kv.ModRevision <= _configApplied)
            {
                continue;
            }

            try
            {
                if (EtcdStateCodec.Apply(ref mirror, etcd.Keys, kv.Key, value))
                {
                    configRevision = kv.ModRevision;
                }
            }
            catch (InvalidDataException ex)
            {
                FleetLog.BadKey(logger, kv.Key.ToStringUtf8(), ex.Message);
            }
        }

        // All events of one revision arrive in one response, so the mirror is whole at its end.
        var last = response.Events.Count > 0 ? response.Events.Max(e => e.Kv.ModRevision) : response.Header.Revision;
        _revision = Math.Max(_revision, last);
        _configApplied = Math.Max(_configApplied, _revision);
        if (configRevision > 0)
        {
            _mirror = new StoredState(mirror.State with { Version = configRevision }, mirror.Ownership);
            await HandOverAsync(_mirror, cancellationToken);
        }
    }

    /// <summary>After compaction: the whole prefix at one revision replaces the mirror.</summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        var read = await store.ReadAllAsync(cancellationToken);
        var (state, _) = store.Accept(read.Kvs, read.Header.Revision);
        var current = config.Current;
        if (state.Version <= current.Version && !SameContent(state, current))
        {
            // Keys deleted outside the ALBs leave no newer revision behind; the read's revision is newer.
            state = new StoredState(state.State with { Version = read.Header.Revision }, state.Ownership);
        }

        _mirror = state;
        _revision = read.Header.Revision;
        _configApplied = read.Header.Revision;
        await HandOverAsync(state, cancellationToken);
    }

    private async Task HandOverAsync(StoredState state, CancellationToken cancellationToken)
    {
        if (await config.ApplyExternalAsync(state, cancellationToken))
        {
            events.ConfigApplied(state.Version, "etcd");
        }

        var served = config.Current;
        store.SaveLocalCopy(served);
        store.Mirror.Set(state.Version);
    }

    private static bool SameContent(StoredState a, StoredState b) =>
        EtcdStateCodec.Diff(a, b, new EtcdKeys(string.Empty), Google.Protobuf.ByteString.Empty).Count == 1;
}
