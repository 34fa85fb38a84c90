using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Publishing;

namespace MarchProxy.Alb.State;

/// <summary>
/// Turns a desired state into served snapshots for every node kind. <see cref="DryRun"/> translates
/// and checks consistency without serving; <see cref="Publish"/> also sets the snapshots (all kinds
/// or none). Both answer the control plane's <see cref="PublishResult"/>: its violations are by model
/// field, as the store's own validation reports them.
/// </summary>
public interface IStatePublisher
{
    PublishResult DryRun(DesiredState state);

    PublishResult Publish(DesiredState state);
}
