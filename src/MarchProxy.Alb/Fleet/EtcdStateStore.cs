using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.State;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// The fleet's store: the desired state in etcd, one key per resource. A change is one transaction
/// that writes only the keys it changes plus the meta key, and commits only when no config key (and
/// so no other change, since every change writes the meta key) was written after the revision it was
/// validated against. Its version is the transaction's revision, the same number on every ALB. A copy
/// of the served state is kept in DATA_DIR for a start while etcd is down.
/// </summary>
public sealed class EtcdStateStore : IStateStore
{
    /// <summary>The local copy's file in DATA_DIR (the file store's own file is left alone).</summary>
    public const string LocalCopyFile = "alb-fleet-state.json";

    private static readonly TimeSpan ConflictWait = TimeSpan.FromSeconds(2);

    private readonly EtcdConnection _etcd;
    private readonly StoreHealth _health;
    private readonly FleetView _fleet;
    private readonly string _moduleId;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<EtcdStateStore> _logger;
    private readonly EtcdCommitOutcomes _outcomes;

    public EtcdStateStore(
        EtcdConnection etcd,
        StoreHealth health,
        FleetView fleet,
        IOptions<AlbOptions> options,
        TimeProvider timeProvider,
        ILogger<EtcdStateStore> logger,
        ILogger<FileStatePersistence> fileLogger)
    {
        _etcd = etcd;
        _health = health;
        _fleet = fleet;
        _moduleId = options.Value.ModuleId;
        _timeProvider = timeProvider;
        _logger = logger;
        _outcomes = new EtcdCommitOutcomes(etcd);
        LocalCopy = new FileStatePersistence(options.Value.DataDir, LocalCopyFile, timeProvider, fileLogger);
    }

    public string Location => $"etcd {_etcd.Endpoints} {_etcd.Keys.Prefix}";

    public bool IsShared => true;

    public FileStatePersistence LocalCopy { get; }

    /// <summary>The etcd revision the start-up read saw (the watch continues after it).</summary>
    public long LoadedRevision { get; private set; }

    /// <summary>The newest config revision the watch has handed to the config store.</summary>
    public RevisionSignal Mirror { get; } = new();

    public async Task<StoredState?> LoadAsync(CancellationToken cancellationToken)
    {
        RangeResponse read;
        try
        {
            read = await ReadAllAsync(cancellationToken);
        }
        catch (RpcException ex) when (EtcdErrors.IsRefused(ex))
        {
            // etcd answered and refused these settings: starting on a stale copy would hide it.
            throw new AlbConfigurationException($"{_etcd.Describe(ex)}; fix the etcd settings (ETCD_USERNAME, ETCD_PASSWORD, the user's role on {_etcd.Keys.Prefix})", ex);
        }
        catch (RpcException ex)
        {
            return Unreachable(ex);
        }

        var (state, configKeys) = Accept(read.Kvs, read.Header.Revision);
        if (configKeys == 0)
        {
            return null;
        }

        FleetLog.Loaded(_logger, state.Version, state.State.Routes.Count, state.State.Clusters.Count, _etcd.Endpoints, _etcd.Keys.Prefix);
        SaveLocalCopy(state);
        return state;
    }

    public async Task<StoredState> SeedAsync(StoredState seed, CancellationToken cancellationToken)
    {
        var keys = _etcd.Keys;
        var txn = new TxnRequest();
        txn.Compare.AddRange(UnchangedSince(0));
        txn.Success.AddRange(EtcdStateCodec.All(seed, keys, Meta("Seed")));
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = keys.PrefixKey, RangeEnd = keys.PrefixEnd } });
        TxnResponse reply;
        try
        {
            // Create-if-absent is safe to send again: a second copy finds the prefix seeded and reads it.
            reply = await _etcd.CallAsync(o => _etcd.Kv.TxnAsync(txn, o), repeatable: true, cancellationToken);
            _health.Reachable();
        }
        catch (RpcException ex)
        {
            return Unreachable(ex);
        }

        if (reply.Succeeded)
        {
            var seeded = new StoredState(seed.State with { Version = reply.Header.Revision }, seed.Ownership);
            LoadedRevision = reply.Header.Revision;
            FleetLog.Seeded(_logger, keys.Prefix, seeded.Version);
            SaveLocalCopy(seeded);
            return seeded;
        }

        var (state, _) = Accept(reply.Responses[0].ResponseRange.Kvs, reply.Header.Revision);
        FleetLog.SeedLost(_logger, keys.Prefix, state.Version);
        SaveLocalCopy(state);
        return state;
    }

    public long ProvisionalVersion(StoredState current) => current.Version + 1;

    public async Task<StoreCommit> CommitAsync(string operation, StoredState current, StoredState next, CancellationToken cancellationToken)
    {
        var transaction = Guid.NewGuid().ToString("N");
        var txn = new TxnRequest();
        txn.Compare.AddRange(UnchangedSince(current.Version));
        txn.Success.AddRange(EtcdStateCodec.Diff(current, next, _etcd.Keys, Meta(operation, transaction)));
        var attempts = _etcd.EndpointCount + 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Sent again only after a stale token (refused before it applies); other failures are resolved below.
                var reply = await _etcd.CallAsync(o => _etcd.Kv.TxnAsync(txn, o), repeatable: false, cancellationToken);
                _health.Reachable();
                return reply.Succeeded ? StoreCommit.Committed(reply.Header.Revision) : StoreCommit.Conflict(reply.Header.Revision);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                _etcd.Failed(ex);
                var error = _etcd.Describe(ex);
                if (EtcdErrors.IsRefused(ex))
                {
                    _health.Unreachable(error);
                    return StoreCommit.Unavailable(error);
                }

                // Unless it never left this ALB, the request may have been applied before its answer was lost: ask etcd.
                var outcome = EtcdErrors.NeverSent(ex) ? null : await _outcomes.ResolveAsync(transaction, current.Version, cancellationToken);
                if (outcome is { Status: StoreCommitStatus.Committed or StoreCommitStatus.Conflict })
                {
                    if (outcome.Status == StoreCommitStatus.Committed)
                    {
                        FleetLog.CommitResolved(_logger, operation, outcome.Version, error);
                    }

                    _health.Reachable();
                    return outcome;
                }

                // A request that waited out its deadline for a connection is not sent again: no endpoint answers.
                if (outcome is not null || attempt >= attempts || ex.StatusCode == StatusCode.DeadlineExceeded)
                {
                    _health.Unreachable(error);
                    return StoreCommit.Unavailable(outcome is null ? error : $"{error}; {outcome.Error}");
                }

                // Not applied, and etcd answers now (through another endpoint): send it again.
                FleetLog.CommitRetried(_logger, operation, error);
            }
        }
    }

    public bool Revert(StoredState current, out string error)
    {
        error = "etcd already holds the change and the other ALBs serve it; this ALB serves it once its watch delivers it";
        return false;
    }

    public Task WaitForNewerAsync(long version, CancellationToken cancellationToken) =>
        Mirror.WaitAboveAsync(version, ConflictWait, _timeProvider, cancellationToken);

    /// <summary>Reads every key under the prefix (config and members) at one revision.</summary>
    public async Task<RangeResponse> ReadAllAsync(CancellationToken cancellationToken)
    {
        var request = new RangeRequest { Key = _etcd.Keys.PrefixKey, RangeEnd = _etcd.Keys.PrefixEnd };
        var reply = await _etcd.CallAsync(o => _etcd.Kv.RangeAsync(request, o), repeatable: true, cancellationToken);
        _health.Reachable();
        return reply;
    }

    /// <summary>Decodes a full read: the members go to the fleet view, the config keys into a state.</summary>
    public (StoredState State, int ConfigKeys) Accept(IEnumerable<Mvccpb.KeyValue> kvs, long revision)
    {
        var members = new List<(string, ByteString, long)>();
        var config = new List<Mvccpb.KeyValue>();
        foreach (var kv in kvs)
        {
            if (!_etcd.Keys.TryParse(kv.Key, out var kind, out var name))
            {
                continue;
            }

            if (kind == EtcdKeys.Members)
            {
                members.Add((name, kv.Value, kv.ModRevision));
            }
            else
            {
                config.Add(kv);
            }
        }

        _fleet.Reset(members, revision);
        LoadedRevision = Math.Max(LoadedRevision, revision);
        return (EtcdStateCodec.Decode(config, _etcd.Keys), config.Count);
    }

    public void SaveLocalCopy(StoredState state)
    {
        try
        {
            LocalCopy.Save(state);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            FleetLog.LocalCopyFailed(_logger, state.Version, LocalCopy.Location, ex);
        }
    }

    /// <summary>No config key (nor the meta key) was written after <paramref name="version"/>.</summary>
    private IEnumerable<Compare> UnchangedSince(long version)
    {
        var keys = _etcd.Keys;
        yield return new Compare
        {
            Key = keys.MetaKey,
            Target = Compare.Types.CompareTarget.Mod,
            Result = Compare.Types.CompareResult.Less,
            ModRevision = version + 1,
        };
        foreach (var range in EtcdKeys.ConfigRanges)
        {
            yield return new Compare
            {
                Key = keys.Key(range),
                RangeEnd = keys.RangeEnd(range),
                Target = Compare.Types.CompareTarget.Mod,
                Result = Compare.Types.CompareResult.Less,
                ModRevision = version + 1,
            };
        }
    }

    private ByteString Meta(string operation, string? transaction = null) =>
        ByteString.CopyFrom(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new EtcdMeta(EtcdMeta.CurrentFormat, operation, _moduleId, _timeProvider.GetUtcNow()) { Transaction = transaction }, FleetView.Json));

    private StoredState Unreachable(RpcException ex)
    {
        _etcd.Failed(ex);
        var error = _etcd.Describe(ex);
        _health.Unreachable(error);
        var local = LocalCopy.Load();
        if (local is not null)
        {
            FleetLog.ServingLocalCopy(_logger, error, LocalCopy.Location, local.Version);
            LoadedRevision = local.Version;
            return local;
        }

        FleetLog.StartingEmpty(_logger, error, LocalCopy.Location);
        return StoredState.Empty;
    }
}
