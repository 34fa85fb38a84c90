using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>
/// The answer of the config store. <see cref="Version"/> is the new version when applied, and the
/// current version otherwise: for a dry run (the version it was checked against), for a mutation that
/// changes nothing, and on any error.
/// </summary>
public sealed record ApplyResult(
    ApplyStatus Status,
    long Version,
    DesiredState State,
    string Message,
    IReadOnlyList<FieldViolation> Violations)
{
    public bool Succeeded => Status is ApplyStatus.Applied or ApplyStatus.Validated or ApplyStatus.Unchanged;
}
