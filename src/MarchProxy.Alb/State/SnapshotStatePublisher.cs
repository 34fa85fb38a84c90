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

    public PublishResult DryRun(DesiredState state) => publisher.DryRun(state);

    public PublishResult Publish(DesiredState state)
    {
        var result = publisher.Publish(state);
        if (result.Success)
        {
            foreach (var observer in _observers)
            {
                observer.Served(state);
            }
        }

        return result;
    }
}
