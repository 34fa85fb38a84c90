using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>
/// Told of each desired state the publisher serves, after its snapshots are set. Telemetry keeps the
/// served state's version and routes this way; it runs on the publishing thread, so it must be quick.
/// Publishes may race, so an observer keeps the highest version it is told of.
/// </summary>
public interface IServedStateObserver
{
    void Served(DesiredState state);
}
