using MarchProxy.ControlPlane;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary><see cref="IStatePublisher"/> over the control plane's <see cref="SnapshotPublisher"/>.</summary>
public sealed class SnapshotStatePublisher(SnapshotPublisher publisher) : IStatePublisher
{
    public PublishOutcome DryRun(DesiredState state) => ToOutcome(publisher.DryRun(state));

    public PublishOutcome Publish(DesiredState state) => ToOutcome(publisher.Publish(state));

    private static PublishOutcome ToOutcome(PublishResult result) =>
        result.Success
            ? PublishOutcome.Ok
            : PublishOutcome.Fail(result.Errors, [.. result.Violations.Select(v => new FieldViolation(v.Path, v.Message))]);
}
