using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary><see cref="IStateValidator"/> over the model's <see cref="ConfigValidator"/> (paths such as routes[api].match.prefix).</summary>
public sealed class ModelStateValidator : IStateValidator
{
    public IReadOnlyList<FieldViolation> Validate(DesiredState state) =>
        [.. ConfigValidator.Validate(state).Select(e => new FieldViolation(e.Path, e.Message))];
}
