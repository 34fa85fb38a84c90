using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>Checks a whole desired state and returns every problem (empty when valid).</summary>
public interface IStateValidator
{
    /// <summary>Every rule: the model's and, where the validator knows them, Envoy's (a translation dry run).</summary>
    IReadOnlyList<FieldViolation> Validate(DesiredState state);

    /// <summary>
    /// The model's rules alone, without a translation: what the config store checks for each mutation
    /// of a group before it validates the group's result once with <see cref="Validate"/>. When this
    /// finds problems, <see cref="Validate"/> finds the same ones.
    /// </summary>
    IReadOnlyList<FieldViolation> ValidateModel(DesiredState state);
}
