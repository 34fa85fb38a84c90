using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>
/// The answer of the config store. <see cref="Version"/> is the new version when applied, the version
/// the change would get for a dry run, and the unchanged current version on any error.
/// </summary>
public sealed record ApplyResult(
    ApplyStatus Status,
    long Version,
    DesiredState State,
    string Message,
    IReadOnlyList<FieldViolation> Violations)
{
    public bool Succeeded => Status is ApplyStatus.Applied or ApplyStatus.Validated;
}
