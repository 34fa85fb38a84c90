using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>
/// <see cref="IStateValidator"/> over the model's <see cref="ConfigValidator"/> (paths such as
/// routes[api].match.prefix; no file is read here, files are checked when pushed) and, when a
/// publisher is given, Envoy's rules: a dry run of the state's snapshots, whose rejections also come
/// back by model field. The dry run's snapshots are reused by the store's dry run and publish, so the
/// state is translated once. At most <see cref="MaxReported"/> problems are returned.
/// </summary>
public sealed class ModelStateValidator(IStatePublisher? envoyRules = null) : IStateValidator
{
    public const int MaxReported = 20;

    public IReadOnlyList<FieldViolation> Validate(DesiredState state)
    {
        var errors = ConfigValidator.Validate(state);
        if (errors.Count == 0 && envoyRules?.DryRun(state) is { Success: false } rejected)
        {
            errors = rejected.Violations;
        }

        return Bound(errors);
    }

    /// <summary>The model's rules only, without the translation dry run.</summary>
    public IReadOnlyList<FieldViolation> ValidateModel(DesiredState state) => Bound(ConfigValidator.Validate(state));

    private static List<FieldViolation> Bound(IReadOnlyList<ValidationError> errors)
    {
        var bounded = errors.Take(MaxReported).Select(e => new FieldViolation(e.Path, e.Message)).ToList();
        if (errors.Count > MaxReported)
        {
            bounded.Add(new FieldViolation("(more)", $"{errors.Count - MaxReported} more problems not listed"));
        }

        return bounded;
    }
}
