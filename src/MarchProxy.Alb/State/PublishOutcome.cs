namespace MarchProxy.Alb.State;

/// <summary>
/// The result of building (and possibly serving) snapshots for a desired state. <see cref="Violations"/>
/// holds what Envoy would reject, by model field.
/// </summary>
public sealed record PublishOutcome(bool Success, IReadOnlyList<string> Errors, IReadOnlyList<FieldViolation> Violations)
{
    public static PublishOutcome Ok { get; } = new(true, [], []);

    public static PublishOutcome Fail(IReadOnlyList<string> errors, IReadOnlyList<FieldViolation>? violations = null) => new(false, errors, violations ?? []);
}
