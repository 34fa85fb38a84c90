using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.State;

public sealed class RecordingPublisher : IStatePublisher
{
    public List<DesiredState> Published { get; } = [];

    public int DryRuns { get; private set; }

    public IReadOnlyList<string>? FailPublishWith { get; set; }

    public IReadOnlyList<string>? FailDryRunWith { get; set; }

    /// <summary>When set, the dry run fails with what this returns for the state (null: it passes).</summary>
    public Func<DesiredState, IReadOnlyList<string>?>? FailDryRunWhen { get; set; }

    public PublishOutcome DryRun(DesiredState state)
    {
        DryRuns++;
        var errors = FailDryRunWith ?? FailDryRunWhen?.Invoke(state);
        return errors is not null ? PublishOutcome.Fail(errors) : PublishOutcome.Ok;
    }

    public PublishOutcome Publish(DesiredState state)
    {
        if (FailPublishWith is { } errors)
        {
            return PublishOutcome.Fail(errors);
        }

        Published.Add(state);
        return PublishOutcome.Ok;
    }
}
