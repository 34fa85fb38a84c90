using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>The standalone config as a desired state (version 0), or why it could not be read.</summary>
public sealed record StandaloneLoadResult(
    StandaloneLoadStatus Status,
    DesiredState? State,
    IReadOnlyList<FieldViolation> Violations,
    string Message);
