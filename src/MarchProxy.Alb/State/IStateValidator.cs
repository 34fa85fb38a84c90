using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>Checks a whole desired state and returns every problem (empty when valid).</summary>
public interface IStateValidator
{
    IReadOnlyList<FieldViolation> Validate(DesiredState state);
}
