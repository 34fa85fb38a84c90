using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>What the config store holds and persists: the desired state and which parts the API owns.</summary>
public sealed record StoredState(DesiredState State, ApiOwnership Ownership)
{
    public static StoredState Empty { get; } = new(DesiredState.Empty, ApiOwnership.None);

    public long Version => State.Version;
}
