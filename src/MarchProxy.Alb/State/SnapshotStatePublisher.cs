using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Publishing;

namespace MarchProxy.Alb.State;

/// <summary>
/// <see cref="IStatePublisher"/> over the control plane's <see cref="SnapshotPublisher"/>; tells every
/// <see cref="IServedStateObserver"/> of a state once it is served.
/// </summary>
public sealed class SnapshotStatePublisher(SnapshotPublisher publisher, IEnumerable<IServedStateObserver> observers) : IStatePublisher
{
    private readonly IServedStateObserver[] _observers = [.. observers];

    public PublishOutcome DryRun(DesiredState state) => ToOutcome(publisher.DryRun(state));

    public PublishOutcome Publish(DesiredState state)
    {
        var outcome = ToOutcome(publisher.Publish(state));
        if (outcome.Success)
        {
            foreach (var observer in _observers)
            {
                observer.Served(state);
            }
        }

        return outcome;
    }

    private static PublishOutcome ToOutcome(PublishResult result) =>
        result.Success
            ? PublishOutcome.Ok
            : PublishOutcome.Fail(result.Errors, [.. result.Violations.Select(v => new FieldViolation(v.Path, v.Message))]);
}
