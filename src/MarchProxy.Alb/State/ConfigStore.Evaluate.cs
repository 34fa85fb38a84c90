using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>
/// How a mutation is checked: <see cref="Prepare"/> runs it and decides whether it changes anything;
/// <see cref="Check"/> then validates the resulting state (the model's rules and Envoy's) and dry-runs
/// its translation. A group of mutations (ConfigStore.GroupApply.cs) runs <see cref="Prepare"/> and
/// <see cref="CheckModel"/> for each and the rest once for the group.
/// </summary>
public sealed partial class ConfigStore
{
    /// <summary>
    /// Validates and dry-runs a mutation of <paramref name="current"/>: the answer when it ends here
    /// (refused, unchanged, validated), or null with the state to commit.
    /// </summary>
    private ApplyResult? Evaluate(
        string operation,
        StoredState current,
        Func<StoredState, MutationOutcome> mutate,
        bool validateOnly,
        out StoredState? stored,
        out string message)
    {
        var early = Prepare(operation, current, mutate, validateOnly, out stored, out message);
        if (early is not null)
        {
            return early;
        }

        early = Check(operation, current, stored!.State, validateOnly, message);
        if (early is not null)
        {
            stored = null;
        }

        return early;
    }

    /// <summary>
    /// Runs the mutation on <paramref name="current"/>: its refusal or an unchanged answer, or null with
    /// the changed state (numbered as the next version, not validated yet).
    /// </summary>
    private ApplyResult? Prepare(
        string operation,
        StoredState current,
        Func<StoredState, MutationOutcome> mutate,
        bool validateOnly,
        out StoredState? stored,
        out string message)
    {
        stored = null;
        var outcome = mutate(current);
        message = outcome.Message;
        switch (outcome.Status)
        {
            case MutationStatus.NotFound:
                return Refuse(current, ApplyStatus.NotFound, outcome.Message, []);
            case MutationStatus.FailedPrecondition:
                return Refuse(current, ApplyStatus.FailedPrecondition, outcome.Message, []);
            case MutationStatus.Invalid:
                StateLog.Rejected(_logger, operation, outcome.Message);
                return Refuse(current, ApplyStatus.Invalid, outcome.Message, outcome.Violations);
        }

        var ownership = current.Ownership.With(outcome.Touched);
        if (StateContent.Same(outcome.State!, current.State) && StateContent.Same(ownership, current.Ownership))
        {
            var unchanged = validateOnly ? $"validate_only: {outcome.Message}; nothing would change" : $"{outcome.Message}: nothing changed";
            return new ApplyResult(ApplyStatus.Unchanged, current.Version, current.State, unchanged, []);
        }

        stored = new StoredState(outcome.State! with { Version = _store.ProvisionalVersion(current) }, ownership);
        return null;
    }

    /// <summary>The whole check of a changed state: its refusal, the validate_only answer, or null when it may be committed.</summary>
    private ApplyResult? Check(string operation, StoredState current, DesiredState next, bool validateOnly, string message)
    {
        var violations = _validator.Validate(next);
        if (violations.Count > 0)
        {
            return Invalid(operation, current, violations);
        }

        var dryRun = _publisher.DryRun(next);
        if (!dryRun.Success)
        {
            var unservable = "the resulting configuration cannot be served: " + string.Join("; ", dryRun.Errors);
            StateLog.Rejected(_logger, operation, unservable);
            return Refuse(current, ApplyStatus.Invalid, unservable, [.. dryRun.Errors.Select(e => new FieldViolation("configuration", e))]);
        }

        if (validateOnly)
        {
            // Answered with the version it was checked against: the next version is not promised,
            // another mutation may take it first.
            return new ApplyResult(ApplyStatus.Validated, current.Version, current.State, $"validate_only: {message}; checked against version {current.Version}, nothing changed", []);
        }

        return null;
    }

    /// <summary>The model's rules alone (no dry run): its refusal, or null.</summary>
    private ApplyResult? CheckModel(string operation, StoredState current, DesiredState next)
    {
        var violations = _validator.ValidateModel(next);
        return violations.Count > 0 ? Invalid(operation, current, violations) : null;
    }

    private ApplyResult Invalid(string operation, StoredState current, IReadOnlyList<FieldViolation> violations)
    {
        var invalid = "the resulting configuration is invalid: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        StateLog.Rejected(_logger, operation, invalid);
        return Refuse(current, ApplyStatus.Invalid, invalid, violations);
    }
}
