using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>An <see cref="IStatePublisher"/> that answers with <see cref="Outcome"/>.</summary>
internal sealed class FakeStatePublisher : IStatePublisher
{
    public PublishOutcome Outcome { get; set; } = PublishOutcome.Ok;

    public PublishOutcome DryRun(DesiredState state) => Outcome;

    public PublishOutcome Publish(DesiredState state) => Outcome;
}
