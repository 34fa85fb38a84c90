namespace MarchProxy.Supervisor;

/// <summary>The result of <see cref="IEnvoySupervisor.HotRestartAsync"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="FromEpoch">The epoch that served before.</param>
/// <param name="ToEpoch">The epoch that serves now (equal to <paramref name="FromEpoch"/> when it failed).</param>
/// <param name="Error">Why it failed; null on success.</param>
public sealed record HotRestartResult(HotRestartOutcome Outcome, int FromEpoch, int ToEpoch, string? Error)
{
    public bool Succeeded => Outcome == HotRestartOutcome.Succeeded;

    public static HotRestartResult Success(int fromEpoch, int toEpoch) =>
        new(HotRestartOutcome.Succeeded, fromEpoch, toEpoch, null);

    public static HotRestartResult Failure(HotRestartOutcome outcome, int epoch, string error) =>
        new(outcome, epoch, epoch, error);
}
