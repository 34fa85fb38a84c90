using MarchProxy.Load.Machine;

namespace MarchProxy.Load.Results;

/// <summary>One invocation of the harness: the profile, the machine and its load, and the results per build.</summary>
public sealed class RunResults
{
    public required string Profile { get; init; }

    public required Profile Settings { get; init; }

    public required DateTimeOffset Started { get; init; }

    public double DurationSeconds { get; set; }

    public required MachineInfo Machine { get; init; }

    public LoadSummary? Load { get; set; }

    public required HostResults Now { get; init; }

    public HostResults? Baseline { get; init; }
}
