using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>What a mutation function decided, given the current state.</summary>
public sealed class MutationOutcome
{
    private MutationOutcome(
        MutationStatus status,
        DesiredState? state,
        string message,
        IReadOnlyList<FieldViolation> violations,
        IReadOnlyList<ResourceRef> touched)
    {
        Status = status;
        State = state;
        Message = message;
        Violations = violations;
        Touched = touched;
    }

    public MutationStatus Status { get; }

    /// <summary>The new state (its version is set by the store) when <see cref="Status"/> is Changed.</summary>
    public DesiredState? State { get; }

    public string Message { get; }

    public IReadOnlyList<FieldViolation> Violations { get; }

    /// <summary>The routes and clusters the API changed; they become API-owned (see <see cref="ApiOwnership"/>).</summary>
    public IReadOnlyList<ResourceRef> Touched { get; }

    public static MutationOutcome Changed(DesiredState state, string message, params ResourceRef[] touched) =>
        new(MutationStatus.Changed, state, message, [], touched);

    public static MutationOutcome NotFound(string message) => new(MutationStatus.NotFound, null, message, [], []);

    public static MutationOutcome FailedPrecondition(string message) =>
        new(MutationStatus.FailedPrecondition, null, message, [], []);

    public static MutationOutcome Invalid(IReadOnlyList<FieldViolation> violations, string? message = null) =>
        new(MutationStatus.Invalid, null, message ?? Describe(violations), violations, []);

    /// <summary>The first few violations; the rest only counted (a message must stay small).</summary>
    private static string Describe(IReadOnlyList<FieldViolation> violations)
    {
        const int Shown = 3;
        var text = "invalid request: " + string.Join("; ", violations.Take(Shown).Select(v => $"{ValidationText.Truncate(v.Field, 200)}: {ValidationText.Truncate(v.Description, 300)}"));
        return violations.Count > Shown ? $"{text} (and {violations.Count - Shown} more)" : text;
    }
}
