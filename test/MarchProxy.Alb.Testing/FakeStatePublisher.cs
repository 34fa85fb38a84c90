using System.Collections.Concurrent;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Publishing;

namespace MarchProxy.Alb.Testing;

/// <summary>
/// An <see cref="IStatePublisher"/> that serves nothing: it records what it was asked to publish and
/// counts dry runs, and fails either with the errors (and model-field violations) it is told to.
/// </summary>
public sealed class FakeStatePublisher : IStatePublisher
{
    private static readonly IReadOnlyDictionary<NodeKind, Snapshot> NoSnapshots = new Dictionary<NodeKind, Snapshot>();

    private readonly ConcurrentQueue<DesiredState> _published = new();
    private int _dryRuns;

    /// <summary>The states published, in order.</summary>
    public IReadOnlyList<DesiredState> Published => [.. _published];

    public int DryRuns => Volatile.Read(ref _dryRuns);

    /// <summary>When set, every publish fails with these errors (and nothing is recorded).</summary>
    public IReadOnlyList<string>? FailPublishWith { get; set; }

    /// <summary>When set, every dry run fails with these errors and <see cref="DryRunViolations"/>.</summary>
    public IReadOnlyList<string>? FailDryRunWith { get; set; }

    /// <summary>When set, a dry run fails with what this returns for the state (null: it passes).</summary>
    public Func<DesiredState, IReadOnlyList<string>?>? FailDryRunWhen { get; set; }

    /// <summary>The rejections by model field a failing dry run reports.</summary>
    public IReadOnlyList<ValidationError> DryRunViolations { get; set; } = [];

    public PublishResult DryRun(DesiredState state)
    {
        Interlocked.Increment(ref _dryRuns);
        return (FailDryRunWith ?? FailDryRunWhen?.Invoke(state)) is { } errors
            ? PublishResult.Failed(state.Version, errors, DryRunViolations)
            : PublishResult.Succeeded(state.Version, NoSnapshots);
    }

    public PublishResult Publish(DesiredState state)
    {
        if (FailPublishWith is { } errors)
        {
            return PublishResult.Failed(state.Version, errors);
        }

        _published.Enqueue(state);
        return PublishResult.Succeeded(state.Version, NoSnapshots);
    }
}
