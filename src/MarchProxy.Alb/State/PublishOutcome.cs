namespace MarchProxy.Alb.State;

/// <summary>The result of building (and possibly serving) snapshots for a desired state.</summary>
public sealed record PublishOutcome(bool Success, IReadOnlyList<string> Errors)
{
    public static PublishOutcome Ok { get; } = new(true, []);

    public static PublishOutcome Fail(IReadOnlyList<string> errors) => new(false, errors);
}
