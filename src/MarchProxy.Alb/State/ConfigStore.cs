using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>
/// The single writer of the desired state. Mutations run one at a time, in arrival order, through
/// validate → build snapshots (dry run) → persist → publish → swap. The version moves by exactly one
/// per applied mutation, and on any failure nothing changes: neither the state, nor the file, nor
/// the served snapshots, nor the version. A mutation that changes nothing (the same state and the same
/// API ownership) is answered <see cref="ApplyStatus.Unchanged"/> with the current version: nothing is
/// persisted or pushed.
/// </summary>
public sealed class ConfigStore : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IStatePersistence _persistence;
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
    {
        _persistence = persistence;
        _publisher = publisher;
        _validator = validator;
        _standalone = standalone;
        _logger = logger;
    }

    /// <summary>The current accepted state (a consistent, immutable value).</summary>
    public StoredState Current => Volatile.Read(ref _current);

    /// <summary>True once the initial state has been restored (or loaded) and published.</summary>
    public bool IsInitialized => _initialized;

    /// <summary>
    /// Restores the persisted state; with none, loads the standalone config (version 1) and persists
    /// it. Then publishes it. Throws <see cref="InvalidDataException"/> when either source is unusable,
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

            var initial = _persistence.Load();
            if (initial is not null)
            {
                StateLog.Restored(_logger, initial.Version, initial.State.Routes.Count, initial.State.Clusters.Count, _persistence.Location);
            }
            else
            {
                initial = new StoredState(LoadInitialStandalone() with { Version = 1 }, ApiOwnership.None);
                SaveInitial(initial);
            }

            var problems = _validator.Validate(initial.State).Select(v => $"{v.Field}: {v.Description}").ToList();
            var published = problems.Count == 0 ? _publisher.Publish(initial.State) : PublishOutcome.Fail(problems);
            if (!published.Success)
            {
                throw new InvalidDataException(
                    $"The initial state (version {initial.Version}) cannot be served: {string.Join("; ", published.Errors)}");
            }

            Volatile.Write(ref _current, initial);
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

    public void Dispose() => _gate.Dispose();

    private async Task<ApplyResult> ApplyCoreAsync(
        string operation,
        Func<StoredState, MutationOutcome> mutate,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = Current;
            if (!_initialized)
            {
                return Refuse(current, ApplyStatus.Unavailable, "the config store is still starting", []);
            }

            var outcome = mutate(current);
            switch (outcome.Status)
            {
                case MutationStatus.NotFound:
                    return Refuse(current, ApplyStatus.NotFound, outcome.Message, []);
                case MutationStatus.FailedPrecondition:
                    return Refuse(current, ApplyStatus.FailedPrecondition, outcome.Message, []);
                case MutationStatus.Invalid:
                    StateLog.Rejected(_logger, operation, outcome.Message);
                    return Refuse(current, ApplyStatus.Invalid, outcome.Message, outcome.Violations);
            }

            var ownership = current.Ownership.With(outcome.Touched);
            if (StateContent.Same(outcome.State!, current.State) && StateContent.Same(ownership, current.Ownership))
            {
                var unchanged = validateOnly ? $"validate_only: {outcome.Message}; nothing would change" : $"{outcome.Message}: nothing changed";
                return new ApplyResult(ApplyStatus.Unchanged, current.Version, current.State, unchanged, []);
            }

            var next = outcome.State! with { Version = current.Version + 1 };
            var violations = _validator.Validate(next);
            if (violations.Count > 0)
            {
                var message = "the resulting configuration is invalid: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
                StateLog.Rejected(_logger, operation, message);
                return Refuse(current, ApplyStatus.Invalid, message, violations);
            }

            var dryRun = _publisher.DryRun(next);
            if (!dryRun.Success)
            {
                var message = "the resulting configuration cannot be served: " + string.Join("; ", dryRun.Errors);
                StateLog.Rejected(_logger, operation, message);
                return Refuse(current, ApplyStatus.Invalid, message, [.. dryRun.Errors.Select(e => new FieldViolation("configuration", e))]);
            }

            if (validateOnly)
            {
                // Answered with the version it was checked against: the next version is not promised,
                // another mutation may take it first.
                return new ApplyResult(ApplyStatus.Validated, current.Version, current.State, $"validate_only: {outcome.Message}; checked against version {current.Version}, nothing changed", []);
            }

            var stored = new StoredState(next, ownership);
            return Commit(operation, current, stored, outcome.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    private ApplyResult Commit(string operation, StoredState current, StoredState stored, string message)
    {
        if (!TrySave(stored, out var saveError))
        {
            return Refuse(current, ApplyStatus.Unavailable, $"the configuration could not be persisted: {saveError}", []);
        }

        var published = _publisher.Publish(stored.State);
        if (!published.Success)
        {
            var error = string.Join("; ", published.Errors);
            StateLog.PublishFailed(_logger, stored.Version, error);
            if (!TrySave(current, out var rollbackError))
            {
                StateLog.RollbackFailed(_logger, current.Version, rollbackError);
            }

            return Refuse(current, ApplyStatus.Failed, $"publishing version {stored.Version} failed: {error}", []);
        }

        Volatile.Write(ref _current, stored);
        StateLog.Applied(_logger, operation, stored.Version, message);
        return new ApplyResult(ApplyStatus.Applied, stored.Version, stored.State, message, []);
    }

    private bool TrySave(StoredState state, out string error)
    {
        try
        {
            _persistence.Save(state);
            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            StateLog.PersistFailed(_logger, state.Version, _persistence.Location, ex);
            error = ex.Message;
            return false;
        }
    }

    /// <summary>A DATA_DIR that cannot be written (read-only, a file, no space) stops the start, naming where.</summary>
    private void SaveInitial(StoredState initial)
    {
        try
        {
            _persistence.Save(initial);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"The state cannot be persisted to {_persistence.Location}: {ex.Message}", ex);
        }
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
