using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using MarchProxy.ControlPlane.Validation;
using Microsoft.Extensions.Logging;

namespace MarchProxy.ControlPlane.Publishing;

/// <summary>
/// Turns a desired state into one snapshot per node kind and sets them in the cache: all kinds or
/// none. Between translation and the cache, every resource passes Envoy's rules
/// (<see cref="EnvoyResourceValidator"/>): a resource Envoy or a gRPC client would reject is never
/// served, and the result names the model fields at fault. Calls are serialised (the translators are
/// stateful and not thread-safe). A dry run does the same work, checks included, but sets nothing; it
/// does warm the translators' reuse caches, which changes nothing but speed. A dry run or a
/// <see cref="Publish"/> of the very state the last dry run built (the config store's validate →
/// dry run → persist → publish sequence) reuses its snapshots instead of building them again,
/// provided the cache still serves what they were built against.
/// </summary>
public sealed class SnapshotPublisher
{
    private readonly Lock _lock = new();
    private readonly IReadOnlyList<IResourceTranslator> _translators;
    private readonly ISnapshotCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EnvoyResourceValidator _rules = new();

    // The last successful dry run, and the snapshots it was built on (null: none was served).
    private DryRunBuild? _lastDryRun;

    public SnapshotPublisher(IEnumerable<IResourceTranslator> translators, ISnapshotCache cache, TimeProvider time, ILogger<SnapshotPublisher> logger)
    {
        _translators = translators.OrderBy(t => t.Kind).ToList();
        var duplicate = _translators.GroupBy(t => t.Kind).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"More than one translator is registered for {duplicate.Key} nodes.", nameof(translators));
        }

        _cache = cache;
        _time = time;
        _logger = logger;
    }

    /// <summary>Translates, checks and sets the snapshots of every node kind, or none of them.</summary>
    public PublishResult Publish(DesiredState state) => Run(state, apply: true);

    /// <summary>Everything <see cref="Publish"/> does except setting the snapshots.</summary>
    public PublishResult DryRun(DesiredState state) => Run(state, apply: false);

    private PublishResult Run(DesiredState state, bool apply)
    {
        lock (_lock)
        {
            var started = _time.GetTimestamp();
            var dryRun = _lastDryRun;
            _lastDryRun = null;
            if (dryRun is not null && IsStillCurrent(dryRun, state))
            {
                if (apply)
                {
                    return Serve(state, dryRun.Snapshots, started);
                }

                _lastDryRun = dryRun;
                return Built(state, dryRun.Snapshots, apply: false, started);
            }

            var snapshots = new Dictionary<NodeKind, Snapshot>();
            var bases = new Dictionary<NodeKind, Snapshot?>();
            var errors = new List<string>();
            var violations = new List<ValidationError>();
            foreach (var translator in _translators)
            {
                var current = _cache.GetSnapshot(translator.Kind);
                bases[translator.Kind] = current;
                if (current is not null && state.Version < current.Version)
                {
                    errors.Add($"{translator.Kind}: version {state.Version} is older than the served version {current.Version}.");
                    continue;
                }

                Snapshot snapshot;
                try
                {
                    var resources = translator.Translate(state);
                    var rejected = _rules.Validate(translator.Kind, resources, state);
                    if (rejected.Count > 0)
                    {
                        violations.AddRange(rejected.Where(v => !violations.Contains(v)));
                        errors.AddRange(rejected.Select(v => $"{translator.Kind}: {v}"));
                        continue;
                    }

                    snapshot = Snapshot.Create(state.Version, resources.ByType(), current);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
                {
                    PublisherLog.TranslationFailed(_logger, ex, translator.Kind, state.Version);
                    errors.Add($"{translator.Kind}: translation failed: {ex.Message}");
                    continue;
                }

                errors.AddRange(snapshot.CheckConsistency().Select(e => $"{translator.Kind}: {e}"));
                snapshots[translator.Kind] = snapshot;
            }

            if (errors.Count > 0)
            {
                PublisherLog.Refused(_logger, state.Version, apply, errors.Count, ValidationText.Truncate(string.Join("; ", errors), 2000));
                return PublishResult.Failed(state.Version, errors, violations);
            }

            if (apply)
            {
                return Serve(state, snapshots, started);
            }

            _lastDryRun = new DryRunBuild(state, snapshots, bases);
            return Built(state, snapshots, apply: false, started);
        }
    }

    private PublishResult Serve(DesiredState state, IReadOnlyDictionary<NodeKind, Snapshot> snapshots, long started)
    {
        foreach (var (kind, snapshot) in snapshots)
        {
            _cache.SetSnapshot(kind, snapshot);
        }

        return Built(state, snapshots, apply: true, started);
    }

    private PublishResult Built(DesiredState state, IReadOnlyDictionary<NodeKind, Snapshot> snapshots, bool apply, long started)
    {
        var resourceCount = snapshots.Values.Sum(s => s.ResourceCount);
        var elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
        PublisherLog.Built(_logger, state.Version, apply, resourceCount, elapsedMs);
        return PublishResult.Succeeded(state.Version, snapshots);
    }

    /// <summary>The dry run built this very state, and nothing was served since.</summary>
    private bool IsStillCurrent(DryRunBuild dryRun, DesiredState state) =>
        ReferenceEquals(dryRun.State, state)
        && dryRun.Bases.All(b => ReferenceEquals(_cache.GetSnapshot(b.Key), b.Value));

    private sealed record DryRunBuild(
        DesiredState State,
        IReadOnlyDictionary<NodeKind, Snapshot> Snapshots,
        IReadOnlyDictionary<NodeKind, Snapshot?> Bases);
}
