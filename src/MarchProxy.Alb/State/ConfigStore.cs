using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Publishing;

namespace MarchProxy.Alb.State;

/// <summary>
/// The single writer of the desired state. Mutations run one at a time, in arrival order, through
/// validate → build snapshots (dry run) → commit to the <see cref="IStateStore"/> → publish → swap. On
/// any failure nothing changes: neither the state, nor the store, nor the served snapshots, nor the
/// version. The file store numbers versions one by one; a shared store (etcd) gives its own revision,
/// and a commit that finds the shared state moved on is validated again against the newer state (up to
/// <see cref="MaxAttempts"/> times, then <see cref="ApplyStatus.Aborted"/>). A mutation that changes
/// nothing (the same state and the same API ownership) is answered <see cref="ApplyStatus.Unchanged"/>
/// with the current version: nothing is persisted or pushed. Changes other ALBs made reach it through
/// <see cref="ApplyExternalAsync"/>. With the file store, mutations are applied in groups (see
/// ConfigStore.GroupApply.cs: each checked by the model's rules on top of the ones before it, one
/// translation dry run for the group) and made durable a batch at a time (ConfigStore.GroupCommit.cs).
/// </summary>
public sealed partial class ConfigStore : IDisposable
{
    /// <summary>How many times a mutation is validated and committed before a conflict answers ABORTED.</summary>
    public const int MaxAttempts = 32;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IStateStore _store;
    private readonly IStatePublisher _publisher;
    private readonly IStateValidator _validator;
    private readonly IStandaloneConfigSource _standalone;
    private readonly ILogger<ConfigStore> _logger;
    private StoredState _current = StoredState.Empty;
    private volatile bool _initialized;

    public ConfigStore(
        IStatePersistence persistence,
        IStatePublisher publisher,
        IStateValidator validator,
        IStandaloneConfigSource standalone,
        ILogger<ConfigStore> logger)
        : this(new FileStateStore(persistence, logger), publisher, validator, standalone, logger)
    {
    }

    public ConfigStore(
        IStateStore store,
        IStatePublisher publisher,
        IStateValidator validator,
        IStandaloneConfigSource standalone,
        ILogger<ConfigStore> logger)
    {
        _store = store;
        _publisher = publisher;
        _validator = validator;
        _standalone = standalone;
        _logger = logger;
    }

    /// <summary>The current accepted state (a consistent, immutable value).</summary>
    public StoredState Current => Volatile.Read(ref _current);

    /// <summary>True once the initial state has been restored (or loaded) and published.</summary>
    public bool IsInitialized => _initialized;

    /// <summary>The version of <see cref="Current"/>, raised at every swap (to await a newer version).</summary>
    public RevisionSignal Versions { get; } = new();

    /// <summary>The store the state lives in.</summary>
    public IStateStore Store => _store;

    /// <summary>
    /// Restores the stored state; with none, loads the standalone config and seeds the store with it.
    /// Then publishes it. Throws <see cref="InvalidDataException"/> when either source is unusable,
    /// so the host does not start with a state that silently lost pushed routes.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            var initial = await _store.LoadAsync(cancellationToken)
                ?? await _store.SeedAsync(new StoredState(LoadInitialStandalone(), ApiOwnership.None), cancellationToken);

            var problems = _validator.Validate(initial.State).Select(v => $"{v.Field}: {v.Description}").ToList();
            var published = problems.Count == 0 ? _publisher.Publish(initial.State) : PublishResult.Failed(initial.Version, problems);
            if (!published.Success)
            {
                throw new InvalidDataException(
                    $"The initial state (version {initial.Version}) cannot be served: {string.Join("; ", published.Errors)}");
            }

            Swap(initial);
            _tentative = initial;
            _initialized = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies one mutation of the current desired state (see the class summary for the order).</summary>
    public Task<ApplyResult> ApplyAsync(
        string operation,
        Func<DesiredState, MutationOutcome> mutate,
        bool validateOnly,
        CancellationToken cancellationToken) =>
        ApplyCoreAsync(operation, current => mutate(current.State), validateOnly, cancellationToken);

    /// <summary>
    /// Re-reads the standalone config file and applies it as one new version, keeping what the API
    /// owns (see <see cref="ReloadMerge"/>). When that changes nothing (or no file is configured), the
    /// answer is <see cref="ApplyStatus.Unchanged"/> with the current version.
    /// </summary>
    public Task<ApplyResult> ReloadAsync(CancellationToken cancellationToken) =>
        ApplyCoreAsync("Reload", ReloadMutation, validateOnly: false, cancellationToken);

    /// <summary>
    /// Serves a state the shared store holds (another ALB's change, or a re-read), when it is newer than
    /// the current one. False when it is not newer, or when it cannot be served (the current one stays).
    /// </summary>
    public async Task<bool> ApplyExternalAsync(StoredState next, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = Current;
            if (!_initialized || next.Version <= current.Version)
            {
                return false;
            }

            var problems = _validator.Validate(next.State).Select(v => $"{v.Field}: {v.Description}").ToList();
            var published = problems.Count == 0 ? _publisher.Publish(next.State) : PublishResult.Failed(next.Version, problems);
            if (!published.Success)
            {
                StateLog.ExternalRejected(_logger, next.Version, _store.Location, string.Join("; ", published.Errors));
                return false;
            }

            Swap(next);
            _tentative = next;
            StateLog.Applied(_logger, "Watch", next.Version, _store.Location);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        _slots.Dispose();
    }

    private Task<ApplyResult> ApplyCoreAsync(
        string operation,
        Func<StoredState, MutationOutcome> mutate,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        if (!_store.IsShared)
        {
            return ApplyGroupedAsync(operation, mutate, validateOnly, cancellationToken);
        }

        return ApplySharedAsync(operation, mutate, validateOnly, cancellationToken);
    }

    private async Task<ApplyResult> ApplySharedAsync(
        string operation,
        Func<StoredState, MutationOutcome> mutate,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            long conflicted;
            await _gate.WaitAsync(cancellationToken);
            try
            {
                var current = Current;
                if (!_initialized)
                {
                    return Refuse(current, ApplyStatus.Unavailable, "the config store is still starting", []);
                }

                var early = Evaluate(operation, current, mutate, validateOnly, out var stored, out var message);
                if (early is not null)
                {
                    return early;
                }

                var next = stored!.State;
                var commit = await _store.CommitAsync(operation, current, stored, cancellationToken);
                switch (commit.Status)
                {
                    case StoreCommitStatus.Committed:
                        var committed = commit.Version == next.Version ? stored : new StoredState(next with { Version = commit.Version }, stored.Ownership);
                        return Publish(operation, current, committed, message);
                    case StoreCommitStatus.Unavailable:
                        return Refuse(current, ApplyStatus.Unavailable, $"the configuration could not be persisted: {commit.Error}", []);
                }

                StateLog.Conflicted(_logger, operation, current.Version, attempt);
                if (attempt >= MaxAttempts)
                {
                    return Refuse(
                        current,
                        ApplyStatus.Aborted,
                        $"{operation} conflicted {attempt} times with changes made through other ALBs; nothing changed, retry it",
                        []);
                }

                conflicted = current.Version;
            }
            finally
            {
                _gate.Release();
            }

            // Outside the gate: the newer state arrives through ApplyExternalAsync, which needs it.
            await _store.WaitForNewerAsync(conflicted, cancellationToken);
        }
    }

    private ApplyResult Publish(string operation, StoredState current, StoredState stored, string message)
    {
        var published = _publisher.Publish(stored.State);
        if (!published.Success)
        {
            var error = string.Join("; ", published.Errors);
            StateLog.PublishFailed(_logger, stored.Version, error);
            var reverted = _store.Revert(current, out var rollbackError);
            if (!reverted)
            {
                StateLog.RollbackFailed(_logger, current.Version, rollbackError);
            }

            // A shared store cannot take a committed change back: the answer says where it stands.
            var stands = reverted ? string.Empty : $"; {rollbackError}";
            return Refuse(current, ApplyStatus.Failed, $"publishing version {stored.Version} failed: {error}{stands}", []);
        }

        Swap(stored);
        StateLog.Applied(_logger, operation, stored.Version, message);
        return new ApplyResult(ApplyStatus.Applied, stored.Version, stored.State, message, []);
    }

    private void Swap(StoredState state)
    {
        Volatile.Write(ref _current, state);
        Versions.Set(state.Version);
    }

    private MutationOutcome ReloadMutation(StoredState current)
    {
        var loaded = _standalone.Load();
        return loaded.Status switch
        {
            StandaloneLoadStatus.Loaded => MutationOutcome.Changed(
                ReloadMerge.Merge(loaded.State!, current),
                $"reloaded {_standalone.Path}"),
            StandaloneLoadStatus.NotConfigured => MutationOutcome.Changed(
                current.State,
                "no standalone config file is configured"),
            StandaloneLoadStatus.Missing => MutationOutcome.FailedPrecondition(loaded.Message),
            _ => MutationOutcome.Invalid(loaded.Violations, loaded.Message),
        };
    }

    private DesiredState LoadInitialStandalone()
    {
        var loaded = _standalone.Load();
        switch (loaded.Status)
        {
            case StandaloneLoadStatus.Loaded:
                StateLog.StandaloneLoaded(_logger, _standalone.Path ?? string.Empty, loaded.State!.Routes.Count, loaded.State.Clusters.Count);
                return loaded.State;
            case StandaloneLoadStatus.NotConfigured:
                StateLog.StartingEmpty(_logger);
                return DesiredState.Empty;
            default:
                throw new InvalidDataException(loaded.Message);
        }
    }

    private static ApplyResult Refuse(StoredState current, ApplyStatus status, string message, IReadOnlyList<FieldViolation> violations) =>
        new(status, current.Version, current.State, message, violations);
}
