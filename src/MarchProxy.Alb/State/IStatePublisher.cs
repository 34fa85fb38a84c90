using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>
/// Turns a desired state into served snapshots for every node kind. <see cref="DryRun"/> translates
/// and checks consistency without serving; <see cref="Publish"/> also sets the snapshots (all kinds
/// or none).
/// </summary>
public interface IStatePublisher
{
    PublishOutcome DryRun(DesiredState state);

    PublishOutcome Publish(DesiredState state);
}
